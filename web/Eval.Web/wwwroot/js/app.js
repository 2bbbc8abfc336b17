// The few calls the app makes into the page that .NET cannot make itself.
window.evalApp = {
  // The page's language, for screen readers and the browser's own choices (hyphenation, fonts).
  setLanguage: name => { document.documentElement.lang = name; },

  // The chosen file of a file input, as the browser sees it (Blazor's own file API cannot stream it to another origin).
  chosenFile: (inputId, index) => {
    const input = document.getElementById(inputId);
    return input && input.files ? input.files[index] : undefined;
  },

  // PUTs the file straight to storage through its upload URL, telling `progress` (a .NET object) how far it has got.
  // Resolves to the HTTP status, or 0 when there was no answer. XMLHttpRequest, because fetch reports no upload progress.
  upload: (inputId, index, url, headers, progress) => new Promise(resolve => {
    const file = window.evalApp.chosenFile(inputId, index);
    if (!file) { resolve(-1); return; }
    const request = new XMLHttpRequest();
    request.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    let reported = 0;
    request.upload.onprogress = e => {
      // A phone on a slow line sends many small events; a percent at a time is enough for a progress bar.
      const percent = e.lengthComputable ? Math.floor(100 * e.loaded / e.total) : 0;
      if (percent > reported) { reported = percent; progress.invokeMethodAsync('Report', percent); }
    };
    request.onload = () => resolve(request.status);
    request.onerror = () => resolve(0);
    request.send(file);
  }),

  // Reads a file the API hands out as a redirect to storage (GET …/evidence/{id}), with the session's token, and returns
  // an address this page may show it from: the token never appears in a URL, and the file never in the browser's history.
  objectUrl: async (url, token) => {
    try {
      const response = await fetch(url, { headers: { Authorization: 'Bearer ' + token } });
      if (!response.ok) return { status: response.status };
      return { status: response.status, url: URL.createObjectURL(await response.blob()) };
    } catch { return { status: 0 }; }
  },

  revokeObjectUrl: url => URL.revokeObjectURL(url),

  // Saves a file the API writes (an export) under the name its Content-Disposition gives; resolves to the HTTP status.
  download: async (url, token) => {
    try {
      const response = await fetch(url, { headers: { Authorization: 'Bearer ' + token } });
      if (!response.ok) return response.status;
      const disposition = response.headers.get('content-disposition') || '';
      const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(disposition), plain = /filename="?([^";]+)"?/i.exec(disposition);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(await response.blob());
      link.download = utf8 ? decodeURIComponent(utf8[1]) : plain ? plain[1] : 'export';
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 60000);
      return response.status;
    } catch { return 0; }
  }
};

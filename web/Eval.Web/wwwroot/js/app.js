// The few calls the app makes into the page that .NET cannot make itself.
window.evalApp = {
  // The page's language, for screen readers and the browser's own choices (hyphenation, fonts).
  setLanguage: name => { document.documentElement.lang = name; }
};

namespace Eval.Application.Honours;

/// <summary>Settings of what the public reads (section "Public").</summary>
public sealed class PublicOptions
{
    public const string Section = "Public";

    /// <summary>
    /// The address the public reaches the API at, without /api (https://eval.example.org): the plaques' QR codes and the
    /// verification page's links point there. Unset: the Functions app's own host name (WEBSITE_HOSTNAME, over https);
    /// the local host sets http://localhost:{port}.
    /// </summary>
    public string? BaseUrl { get; set; }
}

/// <summary>
/// The absolute URLs given to the public: from a setting, never from a request's Host header, so that a forged Host
/// cannot make a QR code or a link point elsewhere.
/// </summary>
public sealed class PublicAddress
{
    public PublicAddress(Uri baseUrl)
    {
        if (!baseUrl.IsAbsoluteUri || baseUrl.Scheme is not ("https" or "http") || baseUrl.Query.Length > 0 || baseUrl.Fragment.Length > 0)
            throw new ArgumentException($"Public:BaseUrl must be an absolute http(s) address without query or fragment: '{baseUrl}'.");
        Base = baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    /// <summary>Scheme, host, port and path prefix, with no trailing slash.</summary>
    public string Base { get; }

    /// <summary>
    /// Public:BaseUrl when set; else the Functions app's host name (WEBSITE_HOSTNAME, which the platform sets, over https
    /// unless it is a localhost one); null when neither says.
    /// </summary>
    public static PublicAddress? From(string? baseUrl, string? websiteHostName)
    {
        if (!string.IsNullOrWhiteSpace(baseUrl))
            return Uri.TryCreate(baseUrl.Trim(), UriKind.Absolute, out Uri? uri) ? new PublicAddress(uri)
                : throw new ArgumentException($"Public:BaseUrl must be an absolute http(s) address: '{baseUrl}'.");
        if (string.IsNullOrWhiteSpace(websiteHostName)) return null;
        string host = websiteHostName.Trim();
        bool loopback = host.StartsWith("localhost", StringComparison.OrdinalIgnoreCase)
            || host.StartsWith("127.0.0.1", StringComparison.Ordinal);
        string scheme = loopback ? "http" : "https";
        return new PublicAddress(new Uri($"{scheme}://{host}", UriKind.Absolute));
    }

    /// <summary>The verification page of a title (what a plaque's QR code encodes).</summary>
    public string HonourPage(string campaignId, string branchId) =>
        $"{Base}/api/public/honours/{Uri.EscapeDataString(campaignId)}/{Uri.EscapeDataString(branchId)}";

    /// <summary>One version of a campaign's signed list.</summary>
    public string SignedList(string campaignId, int version) =>
        $"{Base}/api/campaigns/{Uri.EscapeDataString(campaignId)}/ratings.jws?version=" +
        version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The keys that verify the lists.</summary>
    public string Keys => $"{Base}/api/keys";
}

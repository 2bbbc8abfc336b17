using System.Buffers.Text;
using System.Text;

namespace Eval.Application;

/// <summary>
/// The continuationToken of a listed page (a work queue, objections): the table's own token, opaque (Azurite's and
/// Azure's differ in shape), sealed together with the listing it continues (campaign, scope, filter: for a work queue
/// its unit and stage). One given back for another listing, or not made here, is refused. The query's filter pins the
/// campaign and the scope in any case, so even a forged table token only moves within what the caller may see.
/// </summary>
public static class PageToken
{
    const string Version = "v1";
    const int MaxLength = 4000;

    public static string Seal(string tableToken, string campaignId, string scope, string? filter) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('\n', Version, campaignId, scope, filter ?? "", tableToken)));

    /// <summary>The table token inside <paramref name="token"/>, or null when it was not sealed for this listing.</summary>
    public static string? Open(string token, string campaignId, string scope, string? filter)
    {
        if (token.Length is 0 or > MaxLength || !Base64Url.IsValid(token)) return null;
        string text;
        try { text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(token)); }
        catch (Exception e) when (e is FormatException or ArgumentException) { return null; }
        string[] parts = text.Split('\n');
        return parts.Length == 5 && parts[0] == Version && parts[1] == campaignId && parts[2] == scope && parts[3] == (filter ?? "")
            && parts[4].Length > 0
            ? parts[4] : null;
    }
}

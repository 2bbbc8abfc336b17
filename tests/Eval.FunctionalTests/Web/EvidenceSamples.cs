using System.Text;

namespace Eval.FunctionalTests.Web;

/// <summary>Files a secretary uploads in the browser tests: the API tells a file's kind by its first bytes.</summary>
static class EvidenceSamples
{
    /// <summary>A one-pixel PNG.</summary>
    public static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    /// <summary>The smallest PDF.</summary>
    public static readonly byte[] Pdf =
        Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
}

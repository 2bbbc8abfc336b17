using System.IO.Compression;
using System.Runtime.InteropServices;

namespace Eval.Workflows.Domain;

/// <summary>A kind of file accepted as evidence: what it is called, its media type and the extensions it may be named with.</summary>
public sealed record FileKind(string Name, string ContentType, IReadOnlyList<string> Extensions);

/// <summary>
/// The file kinds accepted as evidence (PDF, JPEG, PNG, WebP, DOCX, XLSX), told by their first bytes and, for the Office
/// formats, by the parts inside the ZIP package. Nothing else is accepted: no HTML, SVG or scripts, which a browser could
/// run, and no macro-enabled Office documents. The name and the declared type of a file never decide its kind.
/// </summary>
public static class FileKinds
{
    public static readonly FileKind Pdf = new("PDF", "application/pdf", [".pdf"]);
    public static readonly FileKind Jpeg = new("JPEG", "image/jpeg", [".jpg", ".jpeg"]);
    public static readonly FileKind Png = new("PNG", "image/png", [".png"]);
    public static readonly FileKind WebP = new("WebP", "image/webp", [".webp"]);
    public static readonly FileKind Docx = new("DOCX",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", [".docx"]);
    public static readonly FileKind Xlsx = new("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [".xlsx"]);

    public static readonly IReadOnlyList<FileKind> All = [Pdf, Jpeg, Png, WebP, Docx, Xlsx];

    /// <summary>The kind with this media type (case-insensitive, parameters ignored), or null.</summary>
    public static FileKind? ByContentType(string contentType)
    {
        string type = contentType.Split(';')[0].Trim();
        return All.FirstOrDefault(k => k.ContentType.Equals(type, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The kind a file name's extension stands for, or null.</summary>
    public static FileKind? ByFileName(string fileName)
    {
        string extension = Path.GetExtension(fileName);
        return All.FirstOrDefault(k => k.Extensions.Contains(extension, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>What a file's bytes are, or null when they are none of the accepted kinds.</summary>
    public static FileKind? Detect(ReadOnlyMemory<byte> content)
    {
        ReadOnlySpan<byte> head = content.Span;
        if (head.StartsWith("%PDF-"u8)) return Pdf;
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return Jpeg;
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return Png;
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return WebP;
        if (head.StartsWith("PK\x03\x04"u8)) return OfficeKind(content);
        return null;
    }

    /// <summary>A Word or Excel package by its main part; a package with macros, or any other ZIP, is none.</summary>
    static FileKind? OfficeKind(ReadOnlyMemory<byte> content)
    {
        try
        {
            using var zip = new ZipArchive(AsStream(content), ZipArchiveMode.Read);
            var parts = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (!parts.Contains("[Content_Types].xml") || parts.Any(p => p.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase)))
                return null;
            if (parts.Contains("word/document.xml")) return Docx;
            if (parts.Contains("xl/workbook.xml")) return Xlsx;
            return null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    static MemoryStream AsStream(ReadOnlyMemory<byte> content) => MemoryMarshal.TryGetArray(content, out ArraySegment<byte> bytes)
        ? new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false)
        : new MemoryStream(content.ToArray(), writable: false);
}

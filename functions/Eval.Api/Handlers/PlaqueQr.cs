using QRCoder;

namespace Eval.Api.Handlers;

/// <summary>
/// The QR code on a plaque: the address of its verification page, at error correction level Q (a quarter of the code
/// may be dirty or scratched and it still reads), with the standard quiet zone of four modules around it.
/// </summary>
public static class PlaqueQr
{
    const int PixelsPerModule = 10;

    public static byte[] Png(string url)
    {
        using QRCodeData data = Encode(url);
        return new PngByteQRCode(data).GetGraphic(PixelsPerModule, drawQuietZones: true);
    }

    /// <summary>Scalable, for print: black modules on white, sized by its viewBox.</summary>
    public static string Svg(string url)
    {
        using QRCodeData data = Encode(url);
        return new SvgQRCode(data).GetGraphic(PixelsPerModule, "#000000", "#ffffff", drawQuietZones: true,
            SvgQRCode.SizingMode.ViewBoxAttribute);
    }

    static QRCodeData Encode(string url)
    {
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.Q);
    }
}

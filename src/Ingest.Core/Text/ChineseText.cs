using System.Text;

namespace Ingest.Core.Text;

/// <summary>The encodings Chinese files arrive in: UTF-8 (with or without a byte-order mark) or GB18030.</summary>
public static class ChineseText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>GB18030 (code page 54936), from the code-page provider .NET ships but does not register.</summary>
    public static Encoding Gb18030
    {
        get
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(54936);
        }
    }

    /// <summary>
    /// The text of a file, recognised on its own: a UTF-8 byte-order mark, else bytes that are valid UTF-8, else GB18030
    /// (every GB18030 file with Chinese in it is invalid UTF-8, so the two cannot be mistaken for each other).
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return StrictUtf8.GetString(bytes[3..]);
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Gb18030.GetString(bytes);
        }
    }
}

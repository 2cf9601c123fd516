using System.Text;
using Ingest.Core.Text;

namespace Ingest.Documents.Uploads;

/// <summary>
/// An uploaded text file (a CSV) decoded strictly: UTF-8 with or without its byte-order mark, else GB18030, and every
/// byte must belong to the encoding recognised. A file that is neither, or holds control bytes no spreadsheet writes,
/// is refused with the byte where reading stopped; nothing is replaced by a question mark.
/// </summary>
public static class UploadText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <exception cref="UploadRefusedException">Empty, not text, or not UTF-8 or GB18030.</exception>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            throw new UploadRefusedException("文件是空的（0 字节）");
        }

        string text;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            try
            {
                text = StrictUtf8.GetString(bytes[3..]);
            }
            catch (DecoderFallbackException e)
            {
                throw new UploadRefusedException($"以 UTF-8 标记开头，但第 {e.Index + 4} 字节起不是有效的 UTF-8 文本：请另存为“CSV UTF-8”后重新上传");
            }
        }
        else
        {
            try
            {
                text = StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                try
                {
                    text = Gb18030Strict.GetString(bytes);
                }
                catch (DecoderFallbackException e)
                {
                    throw new UploadRefusedException($"既不是 UTF-8 也不是 GB18030 编码的文本（第 {e.Index + 1} 字节无法识别）：请另存为 CSV 或 Excel 工作簿后重新上传");
                }
            }
        }

        var control = text.AsSpan().IndexOfAnyInRange('\0', '\u0008');
        if (control >= 0)
        {
            throw new UploadRefusedException($"含有二进制内容（第 {control + 1} 个字符），不是文本文件");
        }

        return text;
    }

    private static Encoding Gb18030Strict { get; } =
        Encoding.GetEncoding(ChineseText.Gb18030.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
}

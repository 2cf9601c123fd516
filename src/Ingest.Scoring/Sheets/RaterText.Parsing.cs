using System.Globalization;

namespace Ingest.Scoring.Sheets;

public static partial class RaterText
{
    /// <summary>A score typed by a person: digits with a decimal point, read invariantly. A comma is refused, not guessed.</summary>
    /// <exception cref="FormatException">Not such a number; the message shows what was typed.</exception>
    public static decimal ParseScore(string? text, string field = "得分")
    {
        var t = text?.Trim() ?? string.Empty;
        if (t.Contains(',', StringComparison.Ordinal) || t.Contains('，', StringComparison.Ordinal))
        {
            throw new FormatException($"{field}“{text}”含逗号：小数请用小数点，如 1.5");
        }

        return decimal.TryParse(t, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{field}“{text}”不是数字：应为如 2 或 1.5 的得分");
    }

    /// <summary>A yes/no typed by a person: 是, 否, true or false, nothing else.</summary>
    /// <exception cref="FormatException">Anything else; the message shows what was typed.</exception>
    public static bool ParseFlag(string? text, string field = "是否")
    {
        var t = text?.Trim() ?? string.Empty;
        return t switch
        {
            "是" => true,
            "否" => false,
            _ when string.Equals(t, "true", StringComparison.OrdinalIgnoreCase) => true,
            _ when string.Equals(t, "false", StringComparison.OrdinalIgnoreCase) => false,
            _ => throw new FormatException($"{field}“{text}”无法识别：只接受 是、否、true 或 false"),
        };
    }

    /// <summary>A count typed by a person: a whole number, 0 or more.</summary>
    /// <exception cref="FormatException">Anything else; the message shows what was typed.</exception>
    public static int ParseCount(string? text, string field = "次数")
    {
        var t = text?.Trim() ?? string.Empty;
        return int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"{field}“{text}”不是次数：应为 0 或正整数");
    }
}

using System.Globalization;
using System.Text;

namespace Ingest.Core.Text;

/// <summary>
/// A file name made from words that came from elsewhere (an upstream school name, an uploaded file's name): what a
/// download offers, a zip entry or a file the CLI writes. It stays one name in one folder on every system: no path
/// separators, no <c>..</c>, no control or direction-changing characters, none of the characters Windows refuses, no
/// device name, and not longer than a file system allows. Chinese and the rest of the name are kept as they are.
/// </summary>
public static class FileNames
{
    /// <summary>Longest name kept, in UTF-8 bytes: ext4 and most file systems allow 255.</summary>
    public const int MaxBytes = 240;

    private const string Refused = "/\\:*?\"<>|";
    private static readonly string[] Devices = ["CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9"];

    /// <summary>The name made safe; <paramref name="fallback"/> when nothing of it is left.</summary>
    public static string Safe(string? name, string fallback = "文件")
    {
        var text = new StringBuilder((name ?? string.Empty).Length);
        foreach (var rune in (name ?? string.Empty).EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            var unsafeRune = category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                    or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                || (rune.IsBmp && Refused.Contains((char)rune.Value, StringComparison.Ordinal));
            text.Append(unsafeRune ? "_" : rune.ToString());
        }

        var safe = text.ToString();
        while (safe.Contains("..", StringComparison.Ordinal))
        {
            safe = safe.Replace("..", ".", StringComparison.Ordinal);
        }

        safe = safe.Trim().Trim('.').Trim();
        if (safe.Length == 0)
        {
            return fallback;
        }

        var stem = safe.Split('.')[0].TrimEnd();
        if (Devices.Contains(stem, StringComparer.OrdinalIgnoreCase))
        {
            safe = "_" + safe;
        }

        return Shorten(safe);
    }

    /// <summary>
    /// The name an upload arrived with, as it is kept and shown: the last part of any path a client sent
    /// (<c>C:\\Users\\…\\自评.xlsx</c> or <c>../../自评.xlsx</c>), made safe.
    /// </summary>
    public static string OfUpload(string? name, string fallback)
    {
        var text = name ?? string.Empty;
        var last = text.LastIndexOfAny(['/', '\\']);
        return Safe(last >= 0 ? text[(last + 1)..] : text, fallback);
    }

    /// <summary>Cut in the stem (whole characters), keeping the extension, so that the name fits <see cref="MaxBytes"/>.</summary>
    private static string Shorten(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) <= MaxBytes)
        {
            return name;
        }

        var dot = name.LastIndexOf('.');
        var extension = dot > 0 && name.Length - dot <= 10 ? name[dot..] : string.Empty;
        var stem = new StringBuilder();
        var budget = MaxBytes - Encoding.UTF8.GetByteCount(extension);
        foreach (var rune in name[..(name.Length - extension.Length)].EnumerateRunes())
        {
            budget -= rune.Utf8SequenceLength;
            if (budget < 0)
            {
                break;
            }

            stem.Append(rune.ToString());
        }

        return stem.ToString().TrimEnd().TrimEnd('.') + extension;
    }
}

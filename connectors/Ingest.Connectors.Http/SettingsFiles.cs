using Microsoft.Extensions.Configuration;

namespace Ingest.Connectors.Http;

/// <summary>Checks on where a setting came from.</summary>
public static class SettingsFiles
{
    /// <summary>
    /// The appsettings file that sets <paramref name="key"/> to a non-empty value, if any: secrets belong in the
    /// environment or user secrets (a file too, but one outside the repository).
    /// </summary>
    public static string? AppSettingsFileSetting(IConfiguration configuration, string key)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return null;
        }

        // A file provider names its file in ToString ("JsonConfigurationProvider for 'appsettings.json' (Optional)").
        return root.Providers
            .Where(p => p.TryGet(key, out var value) && !string.IsNullOrEmpty(value))
            .Select(p => p.ToString() ?? string.Empty)
            .FirstOrDefault(name => name.Contains("appsettings", StringComparison.OrdinalIgnoreCase));
    }
}

using System.Globalization;

namespace IntegrationSync.Shared.Contracts;

/// <summary>ISO-8601 UTC with milliseconds and a trailing Z, as JavaScript's toISOString writes it.</summary>
public static class IsoTime
{
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? Parse(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : null;
}

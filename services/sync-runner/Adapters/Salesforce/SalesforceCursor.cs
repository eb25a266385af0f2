using System.Globalization;
using System.Text.RegularExpressions;

namespace IntegrationSync.SyncRunner.Adapters.Salesforce;

/// <summary>The last record read: its <c>SystemModstamp</c> and <c>Id</c>, the tie-breaker among equal modstamps.</summary>
public sealed partial record SalesforceCursor(DateTimeOffset Modstamp, string Id)
{
    public string Encode() => $"{Modstamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)}|{Id}";

    public static SalesforceCursor? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }
        var parts = cursor.Split('|');
        if (parts.Length != 2 || !TryParseModstamp(parts[0], out var modstamp) || !IdPattern().IsMatch(parts[1]))
        {
            throw new AdapterException(AdapterErrorKind.Permanent, $"salesforce: '{cursor}' is not a Salesforce cursor (SystemModstamp|Id)");
        }
        return new SalesforceCursor(modstamp, parts[1]);
    }

    /// <summary>Salesforce writes <c>2026-01-01T00:00:00.000+0000</c>; ISO forms are accepted too.</summary>
    public static bool TryParseModstamp(string? text, out DateTimeOffset modstamp)
    {
        var iso = text is null ? null : OffsetWithoutColon().Replace(text, "$1:$2");
        return DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out modstamp);
    }

    public static bool IsRecordId(string id) => IdPattern().IsMatch(id);

    /// <summary>The SOQL condition for "after this record" in <c>ORDER BY SystemModstamp, Id</c> order.</summary>
    public string Where()
    {
        // Salesforce dateTimes carry whole seconds in practice, which is the documented literal; fractions are kept when present.
        var format = Modstamp.Millisecond == 0 ? "yyyy-MM-ddTHH:mm:ssZ" : "yyyy-MM-ddTHH:mm:ss.fffZ";
        var t = Modstamp.UtcDateTime.ToString(format, CultureInfo.InvariantCulture);
        return $"SystemModstamp > {t} OR (SystemModstamp = {t} AND Id > '{Id}')";
    }

    [GeneratedRegex(@"([+-]\d{2})(\d{2})$")]
    private static partial Regex OffsetWithoutColon();

    [GeneratedRegex("^[A-Za-z0-9]{15,18}$")]
    private static partial Regex IdPattern();
}

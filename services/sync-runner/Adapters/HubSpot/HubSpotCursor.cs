using System.Globalization;

namespace IntegrationSync.SyncRunner.Adapters.HubSpot;

/// <summary>
/// A position in <c>hs_lastmodifieddate</c> order (epoch ms), exact at any page: every deal modified before
/// <see cref="ModifiedMs"/> is read, and of those modified at that instant, the ids in <see cref="IdsAtModified"/> (a few at
/// most), or all of them (<see cref="All"/>), or, while a large tie is read in id order, those up to <see cref="TieAfter"/>
/// as well. Search sorts by one property only, so ties are never left to its order.
/// </summary>
public sealed record HubSpotCursor(long ModifiedMs, IReadOnlySet<string> IdsAtModified, bool All = false, string? TieAfter = null)
{
    private const string AllMark = "*";

    /// <summary><c>ms|ids</c>, <c>ms|*</c>, or <c>ms|ids|tieAfter</c> inside a large tie ("" before its first deal).</summary>
    public string Encode()
    {
        var at = ModifiedMs.ToString(CultureInfo.InvariantCulture);
        var ids = All ? AllMark : string.Join(',', IdsAtModified.Order(StringComparer.Ordinal));
        return TieAfter is null ? $"{at}|{ids}" : $"{at}|{ids}|{TieAfter}";
    }

    public static HubSpotCursor? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }
        var parts = cursor.Split('|');
        if (parts.Length is not (2 or 3) || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var modified)
            || (parts.Length == 3 && (parts[1] == AllMark || !IsId(parts[2]))))
        {
            throw new AdapterException(AdapterErrorKind.Permanent, $"hubspot: '{cursor}' is not a HubSpot cursor (epochMs|ids)");
        }
        var ids = parts[1] == AllMark ? [] : parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return new HubSpotCursor(modified, ids, parts[1] == AllMark, parts.Length == 3 ? parts[2] : null);
    }

    /// <summary>Record ids are numbers; "" stands before the first.</summary>
    private static bool IsId(string text) => text.Length == 0 || text.All(char.IsAsciiDigit);
}

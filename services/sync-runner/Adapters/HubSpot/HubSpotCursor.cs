using System.Globalization;

namespace IntegrationSync.SyncRunner.Adapters.HubSpot;

/// <summary>
/// The last <c>hs_lastmodifieddate</c> read (epoch ms) and the ids already read at exactly that instant: search sorts by one
/// property only, so a resumed <c>GTE</c> query skips those ids instead of relying on an id order.
/// </summary>
public sealed record HubSpotCursor(long ModifiedMs, IReadOnlySet<string> IdsAtModified)
{
    public string Encode() => $"{ModifiedMs.ToString(CultureInfo.InvariantCulture)}|{string.Join(',', IdsAtModified.Order(StringComparer.Ordinal))}";

    public static HubSpotCursor? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }
        var parts = cursor.Split('|', 2);
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var modified))
        {
            throw new AdapterException(AdapterErrorKind.Permanent, $"hubspot: '{cursor}' is not a HubSpot cursor (epochMs|ids)");
        }
        return new HubSpotCursor(modified, parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal));
    }

    public bool AlreadyRead(long modifiedMs, string id) => modifiedMs < ModifiedMs || (modifiedMs == ModifiedMs && IdsAtModified.Contains(id));

    public static HubSpotCursor Advance(HubSpotCursor? current, long modifiedMs, string id)
    {
        if (current is null || modifiedMs > current.ModifiedMs)
        {
            return new HubSpotCursor(modifiedMs, new HashSet<string>(StringComparer.Ordinal) { id });
        }
        if (modifiedMs == current.ModifiedMs && !current.IdsAtModified.Contains(id))
        {
            return current with { IdsAtModified = new HashSet<string>(current.IdsAtModified, StringComparer.Ordinal) { id } };
        }
        return current;
    }
}

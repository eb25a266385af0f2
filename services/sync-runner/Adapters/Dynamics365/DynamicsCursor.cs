using System.Globalization;

namespace IntegrationSync.SyncRunner.Adapters.Dynamics365;

/// <summary>
/// The last record read in <c>modifiedon</c> order: its <c>modifiedon</c> and primary key, the tie-breaker among equal
/// timestamps. A change-tracking read's cursor is instead the link Dataverse gave (<see cref="IsLink"/>): the next page's
/// <c>@odata.nextLink</c>, or the <c>@odata.deltaLink</c> the next incremental read follows.
/// </summary>
public sealed record DynamicsCursor(DateTimeOffset ModifiedOn, Guid Id)
{
    public static bool IsLink(string? cursor) =>
        cursor is not null && (cursor.StartsWith("https://", StringComparison.Ordinal) || cursor.StartsWith("http://", StringComparison.Ordinal));

    public string Encode() => $"{Format(ModifiedOn)}|{Id:D}";

    public static DynamicsCursor? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }
        var parts = cursor.Split('|');
        if (parts.Length != 2
            || !DateTimeOffset.TryParse(parts[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var modified)
            || !Guid.TryParse(parts[1], out var id))
        {
            throw new AdapterException(AdapterErrorKind.Permanent, $"dynamics365: '{cursor}' is not a Dynamics cursor (modifiedon|id)");
        }
        return new DynamicsCursor(modified, id);
    }

    /// <summary>The OData condition for "after this record" in <c>$orderby=modifiedon asc, {key} asc</c> order.</summary>
    public string Filter(string key)
    {
        var t = Format(ModifiedOn);
        return $"modifiedon gt {t} or (modifiedon eq {t} and {key} gt {Id:D})";
    }

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IntegrationSync.SyncRunner.Adapters.Salesforce;

/// <summary>
/// The last record read: its <c>SystemModstamp</c> and <c>Id</c>, the tie-breaker among equal modstamps.
/// <see cref="Full"/>: a position inside a full read (no deletions to look for); otherwise an incremental one, as every
/// watermark is. <see cref="Job"/>: the read is inside a Bulk API 2.0 query job that started after this position.
/// </summary>
public sealed partial record SalesforceCursor(DateTimeOffset Modstamp, string Id, bool Full = false, BulkJobPosition? Job = null)
{
    private const string BulkPrefix = "bulk";
    private const string FullSuffix = "full";

    /// <summary><c>modstamp|id</c>, <c>modstamp|id|full</c>, or <c>bulk|operation|jobId|locator|modstamp|id</c>.</summary>
    public string Encode() => Job is { } job
        ? $"{BulkPrefix}|{job.Operation}|{job.JobId}|{job.Locator}|{Position()}"
        : Full ? $"{Position()}|{FullSuffix}" : Position();

    /// <summary>Where the next incremental read starts: this position, as an incremental one.</summary>
    public string Watermark() => Position();

    /// <summary>The same position, read again without the query job (a job Salesforce no longer has).</summary>
    public SalesforceCursor Outside() => this with { Job = null };

    /// <summary>The position of <paramref name="record"/>, in the same kind of read as this one.</summary>
    public SalesforceCursor? After(JsonObject record) => Of(record, Full) is { } at ? at with { Job = Job } : null;

    public static SalesforceCursor? Of(JsonObject record, bool full) =>
        TryParseModstamp(RecordIdentity.Text(record["SystemModstamp"]), out var modstamp) && RecordIdentity.Text(record["Id"]) is { } id
            ? new SalesforceCursor(modstamp, id, full)
            : null;

    public static SalesforceCursor? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }
        var parts = cursor.Split('|');
        return parts switch
        {
            [var t, var id] => Parse(t, id, full: false, job: null, cursor),
            [var t, var id, FullSuffix] => Parse(t, id, full: true, job: null, cursor),
            [BulkPrefix, "query" or "queryAll", var job, var locator, var t, var id] when IdPattern().IsMatch(job) && LocatorPattern().IsMatch(locator) =>
                Parse(t, id, full: parts[1] == "query", new BulkJobPosition(parts[1], job, locator), cursor),
            _ => throw Invalid(cursor),
        };
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

    private string Position() => $"{Modstamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)}|{Id}";

    private static SalesforceCursor Parse(string modstamp, string id, bool full, BulkJobPosition? job, string cursor) =>
        TryParseModstamp(modstamp, out var t) && IdPattern().IsMatch(id) ? new SalesforceCursor(t, id, full, job) : throw Invalid(cursor);

    private static AdapterException Invalid(string cursor) =>
        new(AdapterErrorKind.Permanent, $"salesforce: '{cursor}' is not a Salesforce cursor (SystemModstamp|Id, optionally in a bulk query job)");

    [GeneratedRegex(@"([+-]\d{2})(\d{2})$")]
    private static partial Regex OffsetWithoutColon();

    [GeneratedRegex("^[A-Za-z0-9]{15,18}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z0-9+/=_-]{0,200}$")]
    private static partial Regex LocatorPattern();
}

/// <summary>A Bulk API 2.0 query job (<c>query</c> or <c>queryAll</c>) and the locator of its next results page ("" for the first).</summary>
public sealed record BulkJobPosition(string Operation, string JobId, string Locator);

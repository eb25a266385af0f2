using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IntegrationSync.SyncRunner.Adapters.Http;

namespace IntegrationSync.SyncRunner.Adapters.Salesforce;

/// <summary>One field of an sObject's describe: its type, and the compound field (address, geolocation) it is a component of.</summary>
public sealed record SObjectField(string Name, string Type, bool Custom, string? CompoundFieldName);

/// <summary>
/// The fields of an sObject, from its describe, kept for a while per integration and sObject: a bulk read needs their types
/// (its CSV has none) and which of them Bulk API 2.0 cannot return. Schemas change rarely; a field added meanwhile
/// reaches bulk reads when the entry ages out.
/// </summary>
public sealed class SalesforceSchema(TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Read, IReadOnlyList<SObjectField> Fields)> _described = new(StringComparer.Ordinal);

    /// <summary>Whether the fields are known without a describe call.</summary>
    public bool Knows(SalesforceApi api) => _described.TryGetValue(Key(api), out var entry) && time.GetUtcNow() - entry.Read < Lifetime;

    /// <summary>The fields the integration's user can see (field-level security makes them differ between integrations of one org).</summary>
    public async Task<IReadOnlyList<SObjectField>> FieldsAsync(AdapterHttp http, SalesforceApi api, ReadMeter meter, CancellationToken cancellationToken)
    {
        var key = Key(api);
        if (_described.TryGetValue(key, out var entry) && time.GetUtcNow() - entry.Read < Lifetime)
        {
            return entry.Fields;
        }
        using var request = meter.Attach(api.Request(HttpMethod.Get, DescribeUrl(api)), "describe");
        var body = await http.SendForJsonAsync(request, cancellationToken);
        var fields = (body?["fields"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(f => new SObjectField(RecordIdentity.Text(f["name"]) ?? "", RecordIdentity.Text(f["type"]) ?? "string",
                f["custom"]?.GetValueKind() == System.Text.Json.JsonValueKind.True, RecordIdentity.Text(f["compoundFieldName"])))
            .Where(f => f.Name.Length > 0)
            .ToList();
        _described[key] = (time.GetUtcNow(), fields);
        return fields;
    }

    private static string DescribeUrl(SalesforceApi api) => $"{api.Base}/sobjects/{api.SObject}/describe";

    private static string Key(SalesforceApi api) => $"{api.IntegrationId}|{DescribeUrl(api)}";
}

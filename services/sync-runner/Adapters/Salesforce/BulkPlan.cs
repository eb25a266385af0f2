using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationSync.SyncRunner.Adapters.Salesforce;

/// <summary>
/// The columns of a Bulk API 2.0 query that stands in for a REST query's SELECT, and the turning of its CSV rows into the
/// records that REST query returns: typed values instead of text, REST's dateTime form, and compound fields (address,
/// geolocation), which Bulk cannot return, rebuilt from their components. Null from <see cref="For"/> when a selected field
/// is base64, which Bulk cannot return at all: that read stays on REST.
/// </summary>
public sealed class BulkPlan
{
    private static readonly HashSet<string> Numbers = new(StringComparer.Ordinal) { "int", "long", "double", "currency", "percent" };
    private readonly Dictionary<string, string> _types;
    private readonly Dictionary<string, List<string>> _compounds;
    private readonly HashSet<string> _returned;

    private BulkPlan(IReadOnlyList<string> columns, Dictionary<string, string> types, Dictionary<string, List<string>> compounds, HashSet<string> returned)
    {
        Columns = columns;
        _types = types;
        _compounds = compounds;
        _returned = returned;
    }

    public IReadOnlyList<string> Columns { get; }

    /// <param name="select">The REST query's SELECT: <c>FIELDS(STANDARD)</c> or field names.</param>
    public static BulkPlan? For(IReadOnlyList<SObjectField> described, IReadOnlyList<string> select, bool withIsDeleted)
    {
        var byName = described.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        var wanted = select is ["FIELDS(STANDARD)"]
            ? described.Where(f => !f.Custom).ToList()
            : select.Select(name => byName.TryGetValue(name, out var field) ? field : new SObjectField(name, "string", false, null)).ToList();
        if (withIsDeleted && byName.TryGetValue("IsDeleted", out var isDeleted) && !wanted.Contains(isDeleted))
        {
            wanted.Add(isDeleted);
        }
        if (wanted.Any(f => f.Type == "base64"))
        {
            return null;
        }
        var returned = wanted.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var compounds = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var columns = new List<string>();
        foreach (var field in wanted)
        {
            if (field.Type is "address" or "location")
            {
                compounds[field.Name] = described.Where(f => f.CompoundFieldName == field.Name).Select(f => f.Name).ToList();
                columns.AddRange(compounds[field.Name]);
            }
            else
            {
                columns.Add(field.Name);
            }
        }
        return new BulkPlan(columns.Distinct(StringComparer.Ordinal).ToList(), described.ToDictionary(f => f.Name, f => f.Type, StringComparer.Ordinal),
            compounds, returned);
    }

    /// <summary>About the bytes <paramref name="record"/> (as REST returned it) takes as a row of this plan's CSV: each value quoted, with its separator.</summary>
    public int RowBytes(JsonObject record) => 1 + Columns.Sum(column => 3 + record[column] switch
    {
        null => 0,
        JsonValue value when value.TryGetValue<string>(out var text) => Encoding.UTF8.GetByteCount(text),
        var other => other.ToJsonString().Length,
    });

    public JsonObject ToRecord(string[] header, string[] row)
    {
        var record = new JsonObject();
        for (var i = 0; i < header.Length && i < row.Length; i++)
        {
            record[header[i]] = Value(row[i], _types.GetValueOrDefault(header[i], "string"));
        }
        foreach (var (compound, components) in _compounds)
        {
            record[compound] = Compound(compound, components.Where(record.ContainsKey).ToDictionary(c => c, c => record[c]));
        }
        foreach (var column in header.Where(c => !_returned.Contains(c)))
        {
            // A component selected only to rebuild its compound field: REST would not have returned it.
            record.Remove(column);
        }
        return record;
    }

    private static JsonNode? Value(string text, string type)
    {
        if (text.Length == 0)
        {
            return null;
        }
        if (type == "boolean")
        {
            return JsonValue.Create(string.Equals(text, "true", StringComparison.OrdinalIgnoreCase));
        }
        if (Numbers.Contains(type))
        {
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                return JsonValue.Create(text);
            }
        }
        // Bulk writes 2026-03-01T08:00:00.000Z where REST writes 2026-03-01T08:00:00.000+0000.
        return JsonValue.Create(type == "datetime" && text.EndsWith('Z') ? text[..^1] + "+0000" : text);
    }

    /// <summary>REST's shape of a compound field: its components by their short names (BillingStreet → street), null when all are empty.</summary>
    private static JsonObject? Compound(string compound, Dictionary<string, JsonNode?> components)
    {
        if (components.Values.All(v => v is null))
        {
            return null;
        }
        var prefix = compound.EndsWith("Address", StringComparison.Ordinal) ? compound[..^"Address".Length]
            : compound.EndsWith("__c", StringComparison.Ordinal) ? compound[..^"c".Length]
            : compound;
        var value = new JsonObject();
        foreach (var (name, component) in components)
        {
            var key = name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;
            key = key.EndsWith("__s", StringComparison.Ordinal) ? key[..^"__s".Length] : key;
            if (key.Length == 0)
            {
                continue;
            }
            value[char.ToLowerInvariant(key[0]) + key[1..]] = component?.DeepClone();
        }
        return value;
    }
}

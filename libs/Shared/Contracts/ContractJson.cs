using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IntegrationSync.Shared.Contracts;

/// <summary>The one JSON convention of the fleet: camelCase, nulls omitted (as JSON.stringify omits undefined).</summary>
public static class ContractJson
{
    public static readonly JsonSerializerOptions Options = Create();

    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // JSON.stringify escapes neither HTML-sensitive characters nor non-ASCII text.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

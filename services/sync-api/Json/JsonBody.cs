using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationSync.SyncApi.Errors;

namespace IntegrationSync.SyncApi.Json;

/// <summary>
/// Reads a JSON object body field by field, so that each wrong field is named in the 400: the one way request
/// bodies are read here (typed binding would stop at the first bad field with a generic message).
/// </summary>
public sealed class JsonBody(JsonObject json)
{
    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;

    public JsonObject Json => json;

    public static async Task<(JsonBody? Body, IReadOnlyList<FieldError> Errors)> ReadAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        if (!http.HasJsonContentType())
        {
            return (null, [new FieldError("body", "Content-Type must be application/json")]);
        }
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(http.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return (null, [new FieldError("body", "must be valid JSON")]);
        }
        return body is JsonObject json ? (new JsonBody(json), []) : (null, [new FieldError("body", "must be a JSON object")]);
    }

    public void Error(string field, string message) => _errors.Add(new FieldError(field, message));

    public bool HasError(string field) => _errors.Any(e => e.Field == field);

    public bool Has(string name) => json.ContainsKey(name);

    /// <summary>Every field not in <paramref name="known"/> is an error.</summary>
    public void RejectUnknown(params string[] known)
    {
        foreach (var (name, _) in json)
        {
            if (!known.Contains(name))
            {
                Error(name, "is not a known field");
            }
        }
    }

    /// <summary>A non-empty string; null when absent, null or empty (and an error when of another type).</summary>
    public string? Text(string name)
    {
        if (json[name] is not { } node)
        {
            return null;
        }
        if (node is JsonValue value && value.TryGetValue<string>(out var text))
        {
            return text.Length == 0 ? null : text;
        }
        Error(name, "must be a string");
        return null;
    }

    public string? RequiredText(string name)
    {
        var text = Text(name);
        if (text is null && !HasError(name))
        {
            Error(name, "is required");
        }
        return text;
    }

    public string? RequiredUuid(string name)
    {
        var text = RequiredText(name);
        if (text is not null && !Guid.TryParse(text, out _))
        {
            Error(name, "must be a UUID");
            return null;
        }
        return text;
    }

    public bool? Bool(string name)
    {
        if (json[name] is not { } node)
        {
            return null;
        }
        if (node is JsonValue value && value.TryGetValue<bool>(out var flag))
        {
            return flag;
        }
        Error(name, "must be a boolean");
        return null;
    }

    public JsonObject? Object(string name)
    {
        if (json[name] is not { } node)
        {
            return null;
        }
        if (node is JsonObject obj)
        {
            return (JsonObject)obj.DeepClone();
        }
        Error(name, "must be an object");
        return null;
    }

    public List<string>? TextArray(string name)
    {
        if (json[name] is not { } node)
        {
            return null;
        }
        if (node is JsonArray array && array.All(i => i is JsonValue v && v.TryGetValue<string>(out _)))
        {
            return array.Select(i => i!.GetValue<string>()).ToList();
        }
        Error(name, "must be an array of strings");
        return null;
    }
}

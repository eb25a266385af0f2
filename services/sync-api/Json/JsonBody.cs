using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Microsoft.Net.Http.Headers;
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

    /// <summary>
    /// A UTF-8 JSON object, read whole (the body is capped at 1 MiB before this): bytes that are not UTF-8, escapes
    /// that decode to half a UTF-16 character, or another charset are 400s here rather than failures further on.
    /// </summary>
    public static async Task<(JsonBody? Body, IReadOnlyList<FieldError> Errors)> ReadAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        if (!http.HasJsonContentType())
        {
            return (null, [new FieldError("body", "Content-Type must be application/json")]);
        }
        if (MediaTypeHeaderValue.Parse(http.ContentType).Charset is { HasValue: true } charset
            && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return (null, [new FieldError("body", "must be UTF-8 encoded (Content-Type charset utf-8)")]);
        }
        using var buffer = new MemoryStream();
        await http.Body.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (!Utf8.IsValid(bytes))
        {
            return (null, [new FieldError("body", "must be UTF-8 encoded")]);
        }
        JsonObject json;
        List<FieldError> broken;
        try
        {
            if ((bytes.IsEmpty ? null : JsonNode.Parse(bytes)) is not JsonObject parsed)
            {
                return (null, [new FieldError("body", "must be a JSON object")]);
            }
            json = parsed;
            broken = json.Where(p => !IsWritable(p.Value)).Select(p => new FieldError(p.Key, "contains a \\u escape that is not a whole character")).ToList();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a property name that is half a character (a lone surrogate escape).
            return (null, [new FieldError("body", "must be valid JSON")]);
        }
        return broken.Count > 0 ? (null, broken) : (new JsonBody(json), []);
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

    /// <summary>False for text System.Text.Json cannot write again: a lone surrogate escape such as <c>\ud800</c>.</summary>
    private static bool IsWritable(JsonNode? node)
    {
        try
        {
            node?.ToJsonString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

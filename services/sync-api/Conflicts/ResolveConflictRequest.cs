using System.Text.Json.Nodes;
using IntegrationSync.Shared.Conflicts;
using IntegrationSync.SyncApi.Errors;
using IntegrationSync.SyncApi.Json;

namespace IntegrationSync.SyncApi.Conflicts;

/// <param name="Resolution"><c>source_wins</c>, <c>target_wins</c>, <c>newest_wins</c>, <c>merge</c>, <c>custom</c> (or <c>manual</c>, a label only for the original's conflicts).</param>
/// <param name="Fields">The chosen field values (shard field names): required for <c>custom</c>, optional for <c>merge</c>, not allowed otherwise.</param>
public sealed record ResolveConflictRequest(string Resolution, JsonObject? Fields)
{
    public static async Task<(ResolveConflictRequest? Request, IReadOnlyList<FieldError> Errors)> ReadAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        var (body, readErrors) = await JsonBody.ReadAsync(http, cancellationToken);
        if (body is null)
        {
            return (null, readErrors);
        }
        body.RejectUnknown("resolution", "fields");
        var resolution = body.RequiredText("resolution");
        if (resolution is not null && !ConflictResolutions.All.Contains(resolution))
        {
            body.Error("resolution", $"must be one of {string.Join(", ", ConflictResolutions.All)}");
        }
        var fields = body.Object("fields");
        if (resolution == ConflictResolutions.Custom && fields is null && !body.HasError("fields"))
        {
            body.Error("fields", "is required for a custom resolution");
        }
        else if (resolution is not null and not (ConflictResolutions.Custom or ConflictResolutions.Merge) && body.Has("fields"))
        {
            body.Error("fields", "is only allowed with a custom or merge resolution");
        }
        return body.Errors.Count > 0 ? (null, body.Errors) : (new ResolveConflictRequest(resolution!, fields), []);
    }

    /// <summary>The same choice again (a retry of the same request).</summary>
    public bool Matches(ConflictDocument conflict) =>
        (conflict.Resolution ?? conflict.ResolutionStrategy) == Resolution && JsonNode.DeepEquals(conflict.ResolutionFields, Fields);

    /// <summary>Errors of a choice for a conflict of bidirectional sync: it is not left waiting, and its values are for the record's fields.</summary>
    public IReadOnlyList<FieldError> Check(ConflictDocument conflict)
    {
        var errors = new List<FieldError>();
        if (Resolution == ConflictResolutions.Manual)
        {
            errors.Add(new FieldError("resolution", "a conflict of bidirectional sync already waits for a person: choose source_wins, target_wins, newest_wins, merge or custom"));
        }
        var known = new[] { conflict.BaseVersion, conflict.LocalVersion, conflict.RemoteVersion }.OfType<JsonObject>().SelectMany(v => v.Select(p => p.Key))
            .Concat(conflict.ChangedFields?.Select(f => f.Field) ?? []).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, _) in Fields ?? [])
        {
            if (!known.Contains(name))
            {
                errors.Add(new FieldError($"fields.{name}", "is not a field of this conflict's record"));
            }
        }
        return errors;
    }
}

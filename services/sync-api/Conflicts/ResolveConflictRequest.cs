using System.Text.Json.Nodes;
using IntegrationSync.Shared.Conflicts;
using IntegrationSync.SyncApi.Errors;
using IntegrationSync.SyncApi.Json;

namespace IntegrationSync.SyncApi.Conflicts;

/// <param name="Resolution"><c>source_wins</c>, <c>target_wins</c>, <c>newest_wins</c>, <c>merge</c>, <c>manual</c> or <c>custom</c>.</param>
/// <param name="Fields">The chosen field values; required for <c>custom</c>, not allowed otherwise.</param>
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
        else if (resolution is not null && resolution != ConflictResolutions.Custom && body.Has("fields"))
        {
            body.Error("fields", "is only allowed with a custom resolution");
        }
        return body.Errors.Count > 0 ? (null, body.Errors) : (new ResolveConflictRequest(resolution!, fields), []);
    }
}

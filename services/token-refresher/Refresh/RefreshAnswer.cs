namespace IntegrationSync.TokenRefresher.Refresh;

/// <summary>integration-manager's final word on a refresh: <c>{success:true}</c>, or why not (<c>success:false</c> or a 4xx).</summary>
public sealed record RefreshAnswer(bool Success, string? Error)
{
    public static readonly RefreshAnswer Refreshed = new(true, null);

    public static RefreshAnswer Failed(string error) => new(false, error);
}

using System.Net;
using System.Text.Json.Nodes;

namespace IntegrationSync.SyncApi.Tests;

public static class ApiAssert
{
    /// <summary>Asserts the status and the envelope's code; returns the <c>error</c> object.</summary>
    public static async Task<JsonObject> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        var error = JsonNode.Parse(text)!["error"]!.AsObject();
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(error["message"]?.GetValue<string>()));
        return error;
    }

    public static async Task<JsonObject> OkAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static IEnumerable<string> Fields(JsonObject error) => error["details"]!.AsArray().Select(d => d!["field"]!.GetValue<string>());
}

namespace IntegrationSync.TestSupport;

/// <summary>Waits for a state a test expects (a wait, not a timing assertion): fails with the last value seen.</summary>
public static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var value = await read();
        while (!done(value))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}; last seen: {value}");
            }
            await Task.Delay(50);
            value = await read();
        }
        return value;
    }
}

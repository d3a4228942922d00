namespace ServerlessCapi.Testing;

/// <summary>Waits on observed state instead of sleeping: polls a condition until it holds or time runs out.</summary>
public static class WaitFor
{
    public static Task ConditionAsync(Func<bool> condition, TimeSpan timeout, string? what = null) =>
        ConditionAsync(() => Task.FromResult(condition()), timeout, what);

    public static async Task ConditionAsync(Func<Task<bool>> condition, TimeSpan timeout, string? what = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            if (await condition()) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what ?? "condition"}.");
            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }

    /// <summary>Polls until <paramref name="probe"/> returns a non-null value.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string? what = null) where T : class
    {
        T? value = null;
        await ConditionAsync(async () => (value = await probe()) is not null, timeout, what);
        return value!;
    }
}

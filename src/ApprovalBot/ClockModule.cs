namespace ApprovalBot;

internal static class ClockModule
{
    /// <summary>The one place the system clock is taken; everything else gets <see cref="TimeProvider"/> injected.</summary>
    public static IHostApplicationBuilder AddClock(this IHostApplicationBuilder builder)
    {
#pragma warning disable RS0030 // the composition root is where the real clock is chosen
        builder.Services.AddSingleton(TimeProvider.System);
#pragma warning restore RS0030
        return builder;
    }
}

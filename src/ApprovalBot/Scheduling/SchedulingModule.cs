using ApprovalBot.Storage;
using Quartz;

namespace ApprovalBot.Scheduling;

/// <summary>
/// The only place that configures Quartz: a persistent store in the application's own database (SQLite by default;
/// PostgreSQL clustered), the application's TimeProvider, schema provisioned, a deliberate idle wait, health check.
/// </summary>
public static class SchedulingModule
{
    public static IHostApplicationBuilder AddScheduling(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SchedulingOptions.SectionName);
        builder.Services.AddOptions<SchedulingOptions>().Bind(section)
            .Validate(o => Problems(o).Count == 0, "Scheduling settings are invalid.").ValidateOnStart();
        var options = section.Get<SchedulingOptions>() ?? new SchedulingOptions();
        // Quartz is configured from these values right now, so a bad value must stop start-up here, with its reason.
        if (Problems(options) is { Count: > 0 } problems)
            throw new InvalidOperationException("Scheduling settings are invalid: " + string.Join(" ", problems));
        var storage = builder.GetStorageConnection();

        TimerKindsOf(builder.Services);
        builder.Services.AddSingleton<DurableTimers>();
        builder.Services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = "ApprovalBot";
                s.IdleWaitTime = options.IdleWaitTime;
            });
            q.UseDefaultThreadPool(options.MaxConcurrency);
            // Without a retry policy Quartz deletes a one-shot trigger whose job failed: the timer would be lost. The
            // policy lives in the scheduler, not in stored triggers, so it also covers triggers armed before a change.
            q.UseDefaultRetryPolicy(RetryPolicy.Exponential(
                options.FailedTimerRetries, options.FailedTimerRetryDelay, 2.0, options.FailedTimerMaxRetryDelay, 0.2));
            q.UsePersistentStore(store =>
            {
                if (storage.Provider == StorageProvider.Postgres)
                {
                    store.UsePostgres(StorageProviders.SchedulerPostgresConnectionString(storage, options.RelaxedStoreCommits));
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = options.ClusterCheckinInterval;
                        c.CheckinMisfireThreshold = options.ClusterCheckinMisfireThreshold;
                    });
                }
                else
                {
                    // Through a factory whose connections set their synchronous level when they open (Storage:Sqlite:
                    // Synchronous, or NORMAL for relaxed store commits): the level is per connection, and no connection
                    // string keyword carries it.
                    store.UseSqlite(StorageProviders.SqliteFactoryFor(StorageProviders.SchedulerSqliteLevel(storage, options.RelaxedStoreCommits)), storage.ConnectionString);
                }
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
            });
            q.AddQuartzHealthChecks();
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        // After Quartz's hosted service (hosted services start in order), which provisions the tables the statistics describe.
        if (storage.Provider == StorageProvider.Sqlite)
            builder.Services.AddHostedService<QuartzPlannerStatisticsStartup>();
        builder.Services.AddTransient<DurableTimerJob>();

        builder.AddHousekeeping();
        return builder;
    }

    internal static List<string> Problems(SchedulingOptions o)
    {
        var problems = new List<string>();
        if (o.IdleWaitTime < TimeSpan.FromSeconds(1)) problems.Add("Scheduling:IdleWaitTime must be at least 00:00:01 (Quartz's minimum).");
        if (o.MaxConcurrency is < 1 or > 100) problems.Add("Scheduling:MaxConcurrency must be between 1 and 100.");
        if (o.ClusterCheckinInterval <= TimeSpan.Zero) problems.Add("Scheduling:ClusterCheckinInterval must be positive.");
        if (o.ClusterCheckinMisfireThreshold < o.ClusterCheckinInterval) problems.Add("Scheduling:ClusterCheckinMisfireThreshold must be at least ClusterCheckinInterval.");
        if (o.FailedTimerRetryDelay <= TimeSpan.Zero) problems.Add("Scheduling:FailedTimerRetryDelay must be positive.");
        if (o.FailedTimerMaxRetryDelay < o.FailedTimerRetryDelay) problems.Add("Scheduling:FailedTimerMaxRetryDelay must be at least FailedTimerRetryDelay.");
        if (!string.Equals(o.StoreCommits?.Trim(), SchedulingOptions.Relaxed, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(o.StoreCommits?.Trim(), SchedulingOptions.Synchronous, StringComparison.OrdinalIgnoreCase))
            problems.Add($"Scheduling:StoreCommits must be '{SchedulingOptions.Relaxed}' or '{SchedulingOptions.Synchronous}', not '{o.StoreCommits}'.");
        if (o.FailedTimerRetries < 1) problems.Add("Scheduling:FailedTimerRetries must be at least 1 (Quartz refuses a retry policy without retries).");
        return problems;
    }

    /// <summary>Registers the handler of a timer kind. A kind registered twice fails at start-up.</summary>
    public static IServiceCollection AddTimerHandler<THandler>(this IServiceCollection services, string kind)
        where THandler : class, ITimerHandler
    {
        TimerKindsOf(services).Add(kind);
        services.AddKeyedScoped<ITimerHandler, THandler>(kind);
        return services;
    }

    /// <summary>
    /// The one <see cref="TimerKinds"/> instance of this service collection, registered on first use. Every kind must
    /// land in the instance the container resolves, whether its feature registers before or after
    /// <see cref="AddScheduling"/>.
    /// </summary>
    private static TimerKinds TimerKindsOf(IServiceCollection services)
    {
        var registered = services.Where(d => d.ServiceType == typeof(TimerKinds) && !d.IsKeyedService).ToList();
        switch (registered)
        {
            case []:
                var kinds = new TimerKinds();
                services.AddSingleton(kinds);
                return kinds;
            case [{ ImplementationInstance: TimerKinds only }]:
                return only;
            default:
                throw new InvalidOperationException("TimerKinds is registered by AddScheduling and AddTimerHandler only; found another registration.");
        }
    }
}

/// <summary>
/// Gives SQLite's planner statistics for Quartz's tables once the scheduler has created them
/// (<see cref="StorageProviders.QuartzPlannerStatistics"/>): Quartz's many-timers reads then look keys up instead of
/// scanning every timer.
/// </summary>
internal sealed class QuartzPlannerStatisticsStartup(StorageConnection storage) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => StorageProviders.EnsureQuartzPlannerStatisticsAsync(storage, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

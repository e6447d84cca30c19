using ApprovalBot.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        builder.Services.Configure<SchedulingOptions>(section);
        var options = section.Get<SchedulingOptions>() ?? new SchedulingOptions();
        var storage = builder.GetStorageConnection();

        builder.Services.TryAddSingleton<TimerKinds>();
        builder.Services.AddSingleton<DurableTimers>();
        builder.Services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = "ApprovalBot";
                s.IdleWaitTime = options.IdleWaitTime;
            });
            q.UseDefaultThreadPool(options.MaxConcurrency);
            q.UsePersistentStore(store =>
            {
                if (storage.Provider == StorageProvider.Postgres)
                {
                    store.UsePostgres(storage.ConnectionString);
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = options.ClusterCheckinInterval;
                        c.CheckinMisfireThreshold = options.ClusterCheckinMisfireThreshold;
                    });
                }
                else
                {
                    store.UseSqlite(storage.ConnectionString);
                }
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
            });
            q.AddQuartzHealthChecks();
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        builder.Services.AddTransient<DurableTimerJob>();

        builder.AddHousekeeping();
        return builder;
    }

    /// <summary>Registers the handler of a timer kind. A kind registered twice fails at start-up.</summary>
    public static IServiceCollection AddTimerHandler<THandler>(this IServiceCollection services, string kind)
        where THandler : class, ITimerHandler
    {
        var kinds = (TimerKinds?)services.FirstOrDefault(d => d.ServiceType == typeof(TimerKinds))?.ImplementationInstance;
        if (kinds is null)
        {
            kinds = new TimerKinds();
            services.AddSingleton(kinds);
        }
        kinds.Add(kind);
        services.AddKeyedScoped<ITimerHandler, THandler>(kind);
        return services;
    }
}

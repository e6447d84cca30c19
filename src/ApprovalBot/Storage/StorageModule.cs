using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Storage;

/// <summary>Composition of the storage area: <c>builder.AddStorage()</c> in Program.cs.</summary>
public static class StorageModule
{
    private const string ConnectionPropertyKey = "ApprovalBot.Storage.StorageConnection";

    /// <summary>
    /// Registers <see cref="BotDbContext"/> (scoped, for requests) and <see cref="IDbContextFactory{BotDbContext}"/>
    /// (singleton, for background services), both from one context pool; <see cref="StorageConnection"/> (singleton);
    /// the <c>database</c> health check (tag <c>ready</c>); and, unless <c>Storage:MigrateAtStartup</c> is false,
    /// <see cref="StorageMigrator"/> as a hosted service that migrates in <c>StartingAsync</c>, before any hosted service
    /// starts (Kestrel, the outbox dispatcher) — register storage before scheduling so it also runs before Quartz's
    /// <c>StartingAsync</c>. Throws <see cref="InvalidOperationException"/> on unusable configuration.
    /// </summary>
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connection = builder.GetStorageConnection();
        var services = builder.Services;

        services.AddOptions<StorageOptions>().Bind(builder.Configuration.GetSection(StorageOptions.SectionName));
        services.AddSingleton(connection);

        // Pooled: features create a context per request and per background unit of work; reusing instances saves the
        // setup cost of each. BotDbContext holds no per-request state and injects no scoped services, which pooling needs.
        services.AddSingleton<StorageCommits>();
        services.AddPooledDbContextFactory<BotDbContext>((sp, options) => options.UseStorage(connection).AddInterceptors(sp.GetRequiredService<StorageCommits>()));
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContext());

        services.AddHealthChecks().AddDbContextCheck<BotDbContext>("database", tags: ["ready"]);

        services.AddSingleton<StorageMigrator>();
        var migrateAtStartup = builder.Configuration.GetValue($"{StorageOptions.SectionName}:{nameof(StorageOptions.MigrateAtStartup)}", true);
        if (migrateAtStartup)
            services.AddHostedService<StorageMigrationHostedService>();
        return builder;
    }

    /// <summary>
    /// The effective database, resolved once per builder from configuration (the same instance <see cref="AddStorage"/>
    /// registers). For modules that need it while registering, such as Quartz's persistent store.
    /// </summary>
    public static StorageConnection GetStorageConnection(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Properties.TryGetValue(ConnectionPropertyKey, out var existing) && existing is StorageConnection cached)
            return cached;
        var connection = StorageConnection.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Properties[ConnectionPropertyKey] = connection;
        return connection;
    }
}

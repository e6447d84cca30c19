using ApprovalBot.Privacy.Tables;
using ApprovalBot.Scheduling;

namespace ApprovalBot.Privacy;

/// <summary>
/// Retention of free text and one person's export and erasure (issue 10, data protection). Program.cs:
/// <c>builder.AddPrivacy()</c> and <c>app.MapPrivacyApi()</c>.
/// </summary>
public static class PrivacyModule
{
    public static IHostApplicationBuilder AddPrivacy(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<PrivacyOptions>().Bind(builder.Configuration.GetSection(PrivacyOptions.SectionName))
            .Validate(o => o.ClosedEscalationFreeTextDays is >= 0 and <= 36_500,
                "Privacy:ClosedEscalationFreeTextDays must be 0 (keep forever) to 36500 days.")
            .Validate(o => o.RetentionBatchSize is >= 1 and <= 10_000, "Privacy:RetentionBatchSize must be 1 to 10000.")
            .Validate(o => string.IsNullOrEmpty(o.PseudonymKey) || o.PseudonymKey.Length >= PrivacyOptions.MinKeyLength,
                $"Privacy:PseudonymKey must be at least {PrivacyOptions.MinKeyLength} characters (or unset, which refuses erasure).")
            .ValidateOnStart();
        services.AddScoped<DataSubjects>();
        services.AddScoped<ExportPersonalData>();
        services.AddScoped<ErasePersonalData>();
        services.AddScoped<IHousekeepingTask, ClosedEscalationTextRetention>();

        // One contributor per feature; the order is the erasure order (children before the rows they point at).
        services.AddPersonalData<ConversationsPersonalData>();
        services.AddPersonalData<ApprovalsPersonalData>();
        services.AddPersonalData<AgreementsPersonalData>();
        services.AddPersonalData<AgreementLifecyclePersonalData>();
        services.AddPersonalData<EscalationsPersonalData>();
        services.AddPersonalData<DigestsPersonalData>();
        return builder;
    }

    /// <summary>Registers a feature's <see cref="IPersonalData"/>: its tables join the export and the erasure.</summary>
    public static IServiceCollection AddPersonalData<T>(this IServiceCollection services)
        where T : class, IPersonalData =>
        services.AddScoped<IPersonalData, T>();
}

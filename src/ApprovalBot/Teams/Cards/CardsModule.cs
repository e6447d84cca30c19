namespace ApprovalBot.Teams.Cards;

public static class CardsModule
{
    /// <summary>Registers the <see cref="CardRenderer"/> singleton (templates are parsed once per process).</summary>
    public static IServiceCollection AddCards(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<CardRenderer>();
        return services;
    }
}

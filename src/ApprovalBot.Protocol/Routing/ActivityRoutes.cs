using System.Collections.Frozen;

namespace ApprovalBot.Protocol.Routing;

public enum RouteKind
{
    /// <summary>Any activity of a type (<c>installationUpdate</c>, <c>conversationUpdate</c>, …).</summary>
    ActivityType,
    /// <summary>An invoke by name, other than card actions.</summary>
    Invoke,
    /// <summary>An <c>adaptiveCard/action</c> invoke by its verb.</summary>
    CardAction,
    /// <summary>A message whose first word is the command name.</summary>
    Command,
}

/// <summary>A route key. Names compare case-insensitively.</summary>
public readonly record struct RouteKey(RouteKind Kind, string Name)
{
    public bool Equals(RouteKey other) => Kind == other.Kind && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase);
    public override int GetHashCode() => HashCode.Combine(Kind, StringComparer.OrdinalIgnoreCase.GetHashCode(Name));
    public override string ToString() => $"{Kind}:{Name}";
}

/// <summary>What <c>help</c> shows for a command. Registered with the command's route.</summary>
public sealed record CommandInfo(string Name, string Usage, string Description, IReadOnlyList<string> Examples)
{
    /// <summary>Where the command makes sense; the manifest's command lists are checked against it.</summary>
    public bool InPersonal { get; init; } = true;
    public bool InChannel { get; init; } = true;
    /// <summary>
    /// Offered in Teams' compose-box menu (the manifest's command lists, at most 10 a scope); <c>help</c> lists every
    /// command either way. Off for the rarer follow-up commands, so the menu keeps the ones people start with.
    /// </summary>
    public bool InMenu { get; init; } = true;
    /// <summary>Listed under this heading by <c>help</c> (for example "Approvals").</summary>
    public string Area { get; init; } = "General";
}

/// <summary>One registration: a key, the handler type, and for commands their help.</summary>
public sealed record RouteRegistration(RouteKey Key, Type HandlerType, CommandInfo? Command = null);

/// <summary>
/// Collects routes from every feature (each calls <c>services.AddActivityRoutes(r =&gt; …)</c>). Built once into an
/// <see cref="ActivityRouteTable"/>; two registrations of one key are a programming error and fail at start-up.
/// </summary>
public sealed class ActivityRouteBuilder
{
    internal List<RouteRegistration> Registrations { get; } = [];
    internal Type? UnknownCommandHandler { get; private set; }

    public ActivityRouteBuilder OnActivity<THandler>(string activityType) where THandler : IActivityHandler =>
        Add(new RouteRegistration(new RouteKey(RouteKind.ActivityType, activityType), typeof(THandler)));

    public ActivityRouteBuilder OnInvoke<THandler>(string invokeName) where THandler : IActivityHandler =>
        Add(new RouteRegistration(new RouteKey(RouteKind.Invoke, invokeName), typeof(THandler)));

    public ActivityRouteBuilder OnCardAction<THandler>(string verb) where THandler : IActivityHandler =>
        Add(new RouteRegistration(new RouteKey(RouteKind.CardAction, verb), typeof(THandler)));

    public ActivityRouteBuilder OnCommand<THandler>(CommandInfo command) where THandler : IActivityHandler =>
        Add(new RouteRegistration(new RouteKey(RouteKind.Command, command.Name), typeof(THandler), command));

    /// <summary>The handler for a message whose first word is no known command.</summary>
    public ActivityRouteBuilder OnUnknownCommand<THandler>() where THandler : IActivityHandler
    {
        if (UnknownCommandHandler is not null)
            throw new InvalidOperationException($"An unknown-command handler is already registered ({UnknownCommandHandler.Name}).");
        UnknownCommandHandler = typeof(THandler);
        return this;
    }

    private ActivityRouteBuilder Add(RouteRegistration registration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(registration.Key.Name);
        Registrations.Add(registration);
        return this;
    }
}

/// <summary>The frozen route table: (activity type | invoke name | card verb | command) → handler type.</summary>
public sealed class ActivityRouteTable
{
    private readonly FrozenDictionary<RouteKey, RouteRegistration> _routes;

    public ActivityRouteTable(IEnumerable<ActivityRouteBuilder> builders)
    {
        var routes = new Dictionary<RouteKey, RouteRegistration>();
        Type? unknown = null;
        foreach (var builder in builders)
        {
            foreach (var registration in builder.Registrations)
            {
                if (!routes.TryAdd(registration.Key, registration))
                    throw new InvalidOperationException(
                        $"Route {registration.Key} is registered twice: by {routes[registration.Key].HandlerType.Name} and by {registration.HandlerType.Name}.");
            }
            if (builder.UnknownCommandHandler is not null)
            {
                if (unknown is not null)
                    throw new InvalidOperationException($"Two unknown-command handlers are registered: {unknown.Name} and {builder.UnknownCommandHandler.Name}.");
                unknown = builder.UnknownCommandHandler;
            }
        }
        _routes = routes.ToFrozenDictionary();
        UnknownCommandHandler = unknown;
        Commands = [.. routes.Values.Where(r => r.Command is not null).Select(r => r.Command!).OrderBy(c => c.Area, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.Ordinal)];
    }

    public Type? UnknownCommandHandler { get; }

    /// <summary>Every registered command with its help, ordered by area then name.</summary>
    public IReadOnlyList<CommandInfo> Commands { get; }

    public IEnumerable<RouteRegistration> All => _routes.Values;

    public Type? Find(RouteKind kind, string? name) =>
        name is not null && _routes.TryGetValue(new RouteKey(kind, name), out var registration) ? registration.HandlerType : null;
}

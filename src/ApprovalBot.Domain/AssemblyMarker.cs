namespace ApprovalBot.Domain;

/// <summary>Marks the domain assembly for architecture tests.</summary>
public static class DomainAssembly;

namespace ApprovalBot.Protocol;

/// <summary>Marks the protocol assembly for architecture tests.</summary>
public static class ProtocolAssembly;

using ApprovalBot.Protocol.Connector;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.TestSupport.Connector;

namespace ApprovalBot.IntegrationTests.Connector;

/// <summary>The real MSAL path: fake Entra over HTTPS with a self-signed certificate, fake connector requiring its tokens.</summary>
public sealed class ConnectorTokenHttpTests : IAsyncLifetime
{
    private const string Conversation = "a:1user";
    private FakeEntraTokenEndpoint _entra = null!;
    private FakeConnector _connector = null!;

    public async Task InitializeAsync()
    {
        _entra = await FakeEntraTokenEndpoint.StartAsync();
        _connector = await FakeConnector.StartAsync();
        _connector.RequireTokensFrom(_entra);
    }

    public async Task DisposeAsync()
    {
        await _connector.DisposeAsync();
        await _entra.DisposeAsync();
    }

    private static Activity Message() => new() { Type = ActivityTypes.Message, Text = "hello" };

    [Fact]
    public async Task SendToConversationAsync_AttachesOneCachedEntraToken_WhenSendingTwice()
    {
        await using var host = ConnectorTestHost.WithCredentials(_entra);

        var first = await host.Client.SendToConversationAsync(_connector.ServiceUrl, Conversation, Message());
        var second = await host.Client.SendToConversationAsync(_connector.ServiceUrl, Conversation, Message());

        Assert.True(first.IsSent, first.Reason);
        Assert.True(second.IsSent, second.Reason);
        Assert.Equal(1, _entra.TokenRequestCount);
        var tokenRequest = Assert.Single(_entra.TokenRequests);
        Assert.Equal("botframework.com", tokenRequest.Tenant);
        Assert.Equal("client_credentials", tokenRequest.GrantType);
        Assert.Equal(_entra.ClientId, tokenRequest.ClientId);
        Assert.Equal(MsalConnectorTokenProvider.BotFrameworkScope, tokenRequest.Scope);
        var requests = _connector.Requests;
        Assert.NotNull(requests[0].BearerToken);
        Assert.Equal(requests[0].BearerToken, requests[1].BearerToken);
        Assert.True(_entra.IsValidToken(requests[0].BearerToken!));
    }

    [Fact]
    public async Task GetTokenAsync_AsksOnlyTheTokenEndpoint_WhenAuthorityHostIsACustomLoopbackHost()
    {
        await using var host = ConnectorTestHost.WithCredentials(_entra);

        await host.Client.SendToConversationAsync(_connector.ServiceUrl, Conversation, Message());

        // No instance discovery, no OpenID metadata: MSAL posts straight to {authority}/oauth2/v2.0/token.
        Assert.Equal(["POST /botframework.com/oauth2/v2.0/token"], _entra.Requests);
    }

    [Fact]
    public async Task SendToConversationAsync_RefreshesTheTokenOnceAndResends_WhenConnectorAnswers401()
    {
        await using var host = ConnectorTestHost.WithCredentials(_entra);
        await host.Client.SendToConversationAsync(_connector.ServiceUrl, Conversation, Message());
        _entra.RevokeIssuedTokens();

        var result = await host.Client.SendToConversationAsync(_connector.ServiceUrl, Conversation, Message());

        Assert.True(result.IsSent, result.Reason);
        Assert.Equal(2, _entra.TokenRequestCount);
        Assert.Equal([201, 401, 201], _connector.Requests.Select(r => r.ResponseStatus));
        Assert.NotEqual(_connector.Requests[1].BearerToken, _connector.Requests[2].BearerToken);
    }

    [Fact]
    public async Task SendToConversationAsync_ReturnsFailed401WithoutLooping_WhenRefreshedTokenIsRejectedToo()
    {
        await using var host = ConnectorTestHost.WithCredentials(_entra);
        _connector.RequireBearerToken(_ => false);

        var result = await host.Client.SendToConversationAsync(_connector.ServiceUrl, Conversation, Message());

        Assert.Equal(ConnectorResultKind.Failed, result.Kind);
        Assert.Equal(401, result.StatusCode);
        Assert.False(result.Retryable);
        Assert.Equal(2, _connector.Requests.Count);
        Assert.Equal(2, _entra.TokenRequestCount);
    }

    [Fact]
    public async Task SendToConversationAsync_RequestsTokensFromTheBotTenant_WhenSingleTenant()
    {
        var settings = _entra.BotConfiguration(BotAppType.SingleTenant, "contoso.onmicrosoft.com");
        settings["Connector:AdditionalAllowedHosts:0"] = "127.0.0.1";
        await using var host = ConnectorTestHost.WithCredentials(_entra, settings);

        var result = await host.Client.SendToConversationAsync(_connector.ServiceUrl, Conversation, Message());

        Assert.True(result.IsSent, result.Reason);
        Assert.Equal("contoso.onmicrosoft.com", Assert.Single(_entra.TokenRequests).Tenant);
    }

    [Fact]
    public async Task SendToConversationAsync_ReturnsNonRetryableFailureAndSendsNothing_WhenTheSecretIsWrong()
    {
        await using var host = ConnectorTestHost.WithCredentials(_entra, new Dictionary<string, string?> { ["MicrosoftAppPassword"] = "wrong" });

        var result = await host.Client.SendToConversationAsync(_connector.ServiceUrl, Conversation, Message());

        Assert.Equal(ConnectorResultKind.Failed, result.Kind);
        Assert.False(result.Retryable);
        Assert.Contains("invalid_client", result.Reason, StringComparison.Ordinal);
        Assert.Empty(_connector.Requests);
    }

    [Fact]
    public async Task SendToConversationAsync_StillSends_WhenTheTokenEndpointFailsOnceWith503()
    {
        await using var host = ConnectorTestHost.WithCredentials(_entra);
        _entra.EnqueueError(503, "temporarily_unavailable");

        var result = await host.Client.SendToConversationAsync(_connector.ServiceUrl, Conversation, Message());

        Assert.True(result.IsSent, result.Reason);
        Assert.Equal(2, _entra.TokenRequestCount);
    }

    [Fact]
    public async Task SendToConversationAsync_SendsNothingAndRequestsNoToken_WhenServiceUrlHostIsNotAllowListed()
    {
        await using var host = ConnectorTestHost.WithCredentials(_entra, allowLoopbackConnector: false);

        var result = await host.Client.SendToConversationAsync(_connector.ServiceUrl, Conversation, Message());

        Assert.Equal(ConnectorResultKind.Failed, result.Kind);
        Assert.False(result.Retryable);
        Assert.Contains("allow-list", result.Reason, StringComparison.Ordinal);
        Assert.Equal(0, result.Attempts);
        Assert.Empty(_connector.Requests);
        Assert.Equal(0, _entra.TokenRequestCount);
    }

    [Fact]
    public async Task SendToConversationAsync_SendsNothing_WhenConfiguredLoopbackHostIsReachedUnderAnotherName()
    {
        await using var host = ConnectorTestHost.WithCredentials(_entra);

        var result = await host.Client.SendToConversationAsync($"http://localhost:{_connector.Port}/", Conversation, Message());

        Assert.Equal(ConnectorResultKind.Failed, result.Kind);
        Assert.Empty(_connector.Requests);
    }
}

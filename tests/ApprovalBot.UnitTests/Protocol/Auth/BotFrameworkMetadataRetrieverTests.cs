using ApprovalBot.Protocol.Auth;

namespace ApprovalBot.UnitTests.Protocol.Auth;

public class BotFrameworkMetadataRetrieverTests
{
    private sealed class NoNetworkFactory : IHttpClientFactory
    {
        public int Created { get; private set; }

        public HttpClient CreateClient(string name)
        {
            Created++;
            throw new InvalidOperationException("No HTTP client may be created for a refused address.");
        }
    }

    [Theory]
    [InlineData("http://login.botframework.com/v1/.well-known/keys")]
    [InlineData("http://localhost:5000/v1/.well-known/keys")]
    [InlineData("http://10.1.2.3/v1/.well-known/keys")]
    public async Task GetDocumentAsync_RefusesBeforeAnyRequest_WhenAddressIsPlainHttpToANonLoopbackHost(string address)
    {
        // A loopback HTTP metadata document could name any jwks_uri: every address is checked, not just the configured one.
        var factory = new NoNetworkFactory();
        var retriever = new BotFrameworkMetadataRetriever(factory);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => retriever.GetDocumentAsync(address, CancellationToken.None));

        Assert.Contains("Refusing", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, factory.Created);
    }
}

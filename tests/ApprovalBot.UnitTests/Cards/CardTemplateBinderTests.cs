using System.Text.Json.Nodes;
using ApprovalBot.Teams.Cards;

namespace ApprovalBot.UnitTests.Cards;

/// <summary>The binder on its own: no Node, no files. The same cases are checked against the official library in <see cref="BinderConformanceTests"/>.</summary>
public class CardTemplateBinderTests
{
    public static TheoryData<string> ConformanceNames => [.. BinderCases.Conformance.Select(c => c.Name)];

    public static TheoryData<string> DivergentNames => [.. BinderCases.Divergent.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(ConformanceNames))]
    public void Bind_ProducesTheDocumentedOutput_ForEachConformanceCase(string name)
    {
        var c = BinderCases.Conformance.Single(x => x.Name == name);

        var result = CardTemplateBinder.Bind("case", JsonNode.Parse(c.Template)!, c.Data is null ? null : JsonNode.Parse(c.Data));

        JsonAssert.Equal(JsonNode.Parse(c.Expected), result.Output, c.Name);
        Assert.Equal(c.Unresolved ?? [], result.UnresolvedPaths);
    }

    [Theory]
    [MemberData(nameof(DivergentNames))]
    public void Bind_ThrowsNamingTemplateAndExpression_WhereTheOfficialLibraryWouldRenderNonsense(string name)
    {
        var c = BinderCases.Divergent.Single(x => x.Name == name);

        var error = Assert.Throws<CardTemplateException>(() =>
            CardTemplateBinder.Bind("my-card", JsonNode.Parse(c.Template)!, c.Data is null ? null : JsonNode.Parse(c.Data)));

        Assert.Equal("my-card", error.TemplateName);
        Assert.Contains("'my-card'", error.Message, StringComparison.Ordinal);
        Assert.Contains(c.OursErrorContains, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RejectsUnsupportedSyntax_BeforeAnyDataIsBound()
    {
        var template = JsonNode.Parse("""{"type":"AdaptiveCard","body":[{"type":"TextRun","text":"${a * 2}"}]}""")!;

        var error = Assert.Throws<CardTemplateException>(() => CardTemplate.Parse("calc", template));

        Assert.Equal("calc", error.TemplateName);
        Assert.Equal("${a * 2}", error.Expression);
        Assert.Contains("/body/0/text", error.Message, StringComparison.Ordinal);
        Assert.Contains("operator '*' is not supported", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("${count(a, b)}", "count() takes 1 argument, not 2")]
    [InlineData("${if(a, b)}", "if() takes 3 arguments, not 2")]
    [InlineData("${count(1)}", "count() needs a string or a data path")]
    [InlineData("${a ? b : c}", "operator '?' is not supported")]
    [InlineData("${a ?? b}", "operator '??' is not supported")]
    [InlineData("${-a}", "operator '-' is not supported")]
    [InlineData("${a.b(c)}", "function 'a.b' is not supported")]
    [InlineData("${count(a).b}", "member access or calls on a function result are not supported")]
    [InlineData("${a b}", "unexpected 'b'")]
    [InlineData("${a ==}", "unexpected end of expression")]
    [InlineData("${'it\\'s'}", "backslashes in string literals are not supported")]
    [InlineData("${undefined}", "'undefined' is not supported")]
    [InlineData("${#a}", "unexpected character '#'")]
    [InlineData("${a = b}", "unexpected character '='")]
    [InlineData("${$_acTemplateVersion.major}", "'$_acTemplateVersion' is not supported")]
    [InlineData("${json({a: 1})}", "'{' inside ${...} is not supported")]
    public void Parse_ThrowsNamingTheExpression_ForUnsupportedExpressions(string text, string problem)
    {
        var template = new JsonObject { ["v"] = text };

        var error = Assert.Throws<CardTemplateException>(() => CardTemplate.Parse("t", template));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_NeverEvaluatesData_EvenWhenDataLooksLikeTemplateSyntax()
    {
        var template = JsonNode.Parse("""{"a":"${title}","b":"Title: ${title}","c":[{"$data":"${items}","t":"${$data}"}]}""")!;
        var data = JsonNode.Parse("""{"title":"${$root.secret} **x** \\${y}","secret":"leak","items":["${secret}","${count(items)}"]}""")!;

        var result = CardTemplateBinder.Bind("t", template, data);

        JsonAssert.Equal(
            JsonNode.Parse("""{"a":"${$root.secret} **x** \\${y}","b":"Title: ${$root.secret} **x** \\${y}","c":[{"t":"${secret}"},{"t":"${count(items)}"}]}"""),
            result.Output);
        Assert.Empty(result.UnresolvedPaths);
    }

    [Fact]
    public void Bind_LeavesTheDataAndTheTemplateUnchanged_AndCanBeRepeated()
    {
        var templateJson = """{"a":"${o}","b":[{"$data":"${list}","v":"${x}"}]}""";
        var dataJson = """{"o":{"k":[1,2]},"list":[{"x":1},{"x":2}]}""";
        var template = CardTemplate.Parse("t", JsonNode.Parse(templateJson)!);
        var data = JsonNode.Parse(dataJson)!;

        var first = template.Bind(data).Output!;
        first["a"]!["k"]!.AsArray().Add(3);
        var second = template.Bind(data).Output;

        JsonAssert.Equal(JsonNode.Parse(dataJson), data);
        JsonAssert.Equal(JsonNode.Parse("""{"a":{"k":[1,2]},"b":[{"v":1},{"v":2}]}"""), second);
    }

    [Fact]
    public void Bind_AcceptsDataNodesBuiltFromClrValues()
    {
        var template = JsonNode.Parse("""{"a":"${n} ${d} ${b} ${s}","w":"${n}","c":"${count(list)}"}""")!;
        var data = new JsonObject
        {
            ["n"] = 42,
            ["d"] = 2.5m,
            ["b"] = true,
            ["s"] = "x",
            ["list"] = new JsonArray(1, 2, 3),
        };

        var result = CardTemplateBinder.Bind("t", template, data);

        JsonAssert.Equal(JsonNode.Parse("""{"a":"42 2.5 true x","w":42,"c":3}"""), result.Output);
    }

    [Fact]
    public void Bind_IsSafeToCallConcurrently()
    {
        var template = CardTemplate.Parse("t", JsonNode.Parse("""[{"$data":"${items}","v":"${$index}:${name}"}]""")!);

        Parallel.For(0, 200, i =>
        {
            var data = new JsonObject { ["items"] = new JsonArray(new JsonObject { ["name"] = $"n{i}" }, new JsonObject { ["name"] = "m" }) };
            var output = template.Bind(data).Output;
            JsonAssert.Equal(JsonNode.Parse($$"""[{"v":"0:n{{i}}"},{"v":"1:m"}]"""), output);
        });
    }
}

namespace ApprovalBot.UnitTests.Cards;

/// <summary>
/// A binding behaviour pinned down three ways: our binder must produce <see cref="Expected"/> (pure unit test),
/// the official <c>adaptivecards-templating</c> must produce it too (cross-check test), and the paths printed as
/// <c>${path}</c> must be reported. JSON texts; <see cref="Data"/> null means no data (undefined).
/// </summary>
public sealed record BinderCase(string Name, string Template, string? Data, string Expected, string[]? Unresolved = null)
{
    public string Id => $"conformance:{Name}";

    public override string ToString() => Name;
}

/// <summary>
/// Where we deliberately differ: our binder throws (naming template and expression) where the official library
/// renders something silently wrong — or throws too. <see cref="OfficialExpected"/> (JSON) or
/// <see cref="OfficialErrorContains"/> records what the official library does, and the cross-check proves it.
/// </summary>
public sealed record DivergentCase(
    string Name,
    string Template,
    string? Data,
    string OursErrorContains,
    string? OfficialExpected = null,
    string? OfficialErrorContains = null)
{
    public string Id => $"divergence:{Name}";

    public override string ToString() => Name;
}

internal static class BinderCases
{
    private const string People = """
        {"title":"Team","people":[{"name":"Ann","age":31,"tags":["a","b"]},{"name":"Bo","age":17,"tags":[]}],"empty":[],"nothing":null}
        """;

    private const string Values = """
        {"name":"Ann","n":0,"f":1.5,"neg":-2.5,"big":1e21,"small":1e-7,"t":true,"no":false,"nul":null,"emptyText":"",
         "arr":[1,2],"obj":{"a":1,"b":{"c":"deep"}},"emptyObj":{},"s":"${name}","md":"**bold** [x](http://x)"}
        """;

    public static IReadOnlyList<BinderCase> Conformance { get; } =
    [
        // Paths
        new("path", """{"v":"${name}"}""", Values, """{"v":"Ann"}"""),
        new("nested path", """{"v":"${obj.b.c}"}""", Values, """{"v":"deep"}"""),
        new("root path", """{"v":"${$root.name}"}""", Values, """{"v":"Ann"}"""),
        new("data path at root", """{"v":"${$data.name}","w":"${$data.obj.a}"}""", Values, """{"v":"Ann","w":1}"""),
        new("paths are case-insensitive", """{"v":"${NAME}","w":"${$ROOT.Obj.B.C}"}""", Values, """{"v":"Ann","w":"deep"}"""),
        new("first key that matches case-insensitively wins", """{"v":"${name}"}""", """{"Name":"first","name":"second"}""", """{"v":"first"}"""),
        new("whitespace inside ${ } is ignored", """{"v":"${ name }","w":"${obj . a}"}""", Values, """{"v":"Ann","w":1}"""),

        // Undefined and null
        new("undefined whole binding prints the path", """{"v":"${missing}"}""", Values, """{"v":"${missing}"}""", ["missing"]),
        new("undefined nested path prints the whole path", """{"v":"${obj.zz.yy}"}""", Values, """{"v":"${obj.zz.yy}"}""", ["obj.zz.yy"]),
        new("undefined in text prints the path", """{"v":"Hi ${missing}!"}""", Values, """{"v":"Hi ${missing}!"}""", ["missing"]),
        new("undefined root path keeps $root", """{"v":"${$root.missing}"}""", Values, """{"v":"${$root.missing}"}""", ["$root.missing"]),
        new("path through null is undefined", """{"v":"${nul.x}"}""", Values, """{"v":"${nul.x}"}""", ["nul.x"]),
        new("path into a string is undefined", """{"v":"${name.length}"}""", Values, """{"v":"${name.length}"}""", ["name.length"]),
        new("no data at all", """{"v":"${x}","w":"plain"}""", null, """{"v":"${x}","w":"plain"}""", ["x"]),
        new("null whole binding stays null", """{"v":"${nul}"}""", Values, """{"v":null}"""),
        new("null in an array is dropped", """["${nul}",1,null,2]""", Values, """[1,2]"""),
        new("index outside a repetition is undefined", """{"i":"${$index}"}""", Values, """{"i":"${$index}"}""", ["$index"]),

        // Types
        new("whole binding keeps number", """{"v":"${f}","w":"${n}","x":"${neg}"}""", Values, """{"v":1.5,"w":0,"x":-2.5}"""),
        new("whole binding keeps boolean", """{"v":"${t}","w":"${no}"}""", Values, """{"v":true,"w":false}"""),
        new("whole binding keeps object", """{"v":"${obj}"}""", Values, """{"v":{"a":1,"b":{"c":"deep"}}}"""),
        new("whole binding keeps array", """{"v":"${arr}"}""", Values, """{"v":[1,2]}"""),
        new("bound array in an array is spliced", """["${arr}",3]""", Values, """[1,2,3]"""),
        new("nested template arrays are spliced", """[[1,2],[3,["${name}"]],4]""", Values, """[1,2,3,"Ann",4]"""),
        new("padding makes text", """{"v":" ${f}","w":"${f} ","x":"${f}${f}"}""", Values, """{"v":" 1.5","w":"1.5 ","x":"1.51.5"}"""),
        new("numbers in text use JavaScript formatting",
            """{"v":"${n}|${f}|${neg}|${big}|${small}|${a}|${b}|${c}|${d}|${e}|${g}|${h}"}""",
            """{"n":0,"f":1.5,"neg":-2.5,"big":1e21,"small":1e-7,"a":123456789012345680000,"b":0.000001,"c":1.7976931348623157e308,"d":5e-324,"e":100,"g":0.1,"h":0.30000000000000004}""",
            """{"v":"0|1.5|-2.5|1e+21|1e-7|123456789012345680000|0.000001|1.7976931348623157e+308|5e-324|100|0.1|0.30000000000000004"}"""),
        new("booleans in text", """{"v":"${t}/${no}"}""", Values, """{"v":"true/false"}"""),
        new("literal expressions become text", """{"a":"${'x'}","b":"${true}","c":"${1}","d":"${(2)}","e":"${\"q\"}"}""", Values, """{"a":"x","b":"true","c":"1","d":"2","e":"q"}"""),

        // Data is never template syntax
        new("data containing ${} stays literal", """{"v":"${s}","w":"x ${s} y"}""", Values, """{"v":"${name}","w":"x ${name} y"}"""),
        new("data containing markdown stays literal", """{"v":"${md}"}""", Values, """{"v":"**bold** [x](http://x)"}"""),
        new("unicode and emoji pass through", """{"v":"→ ${x} ←"}""", """{"x":"Zoë 🎉👩‍💻 \u00e9"}""", """{"v":"→ Zoë 🎉👩‍💻 é ←"}"""),

        // Template strings
        new("strings without ${ are untouched", """{"a":"price $5 {x}","b":"$","c":"a \\$ b","d":"}{"}""", Values, """{"a":"price $5 {x}","b":"$","c":"a \\$ b","d":"}{"}"""),
        new("escaped ${ is literal", """{"v":"a \\${name} b ${name}"}""", Values, """{"v":"a ${name} b Ann"}"""),
        new("only an escaped ${ makes text", """{"v":"\\${name}"}""", Values, """{"v":"${name}"}"""),
        new("escaped backtick", """{"v":"a \\` ${name}"}""", Values, """{"v":"a ` Ann"}"""),
        new("backslash before an escape", """{"v":"a \\\\${name}"}""", Values, """{"v":"a \\${name}"}"""),
        new("keys are not templates", """{"${name}":"${name}"}""", Values, """{"${name}":"Ann"}"""),
        new("newlines in text around a binding", """{"v":"line 1\nline 2 ${name}\n"}""", Values, """{"v":"line 1\nline 2 Ann\n"}"""),
        new("string literal with a closing brace", """{"v":"${if(t, '}', 'x')}"}""", Values, """{"v":"}"}"""),

        // $data
        new("$data object", """{"p":{"$data":"${obj.b}","v":"${c}"}}""", Values, """{"p":{"v":"deep"}}"""),
        new("$data array repeats in the parent array", """[{"$data":"${people}","v":"${name}"}]""", People, """[{"v":"Ann"},{"v":"Bo"}]"""),
        new("$data array as a property value is an array", """{"p":{"$data":"${people}","v":"${name}"}}""", People, """{"p":[{"v":"Ann"},{"v":"Bo"}]}"""),
        new("$data array of one as a property value is the object", """{"p":{"$data":"${one}","v":"${name}"}}""", """{"one":[{"name":"Cy"}]}""", """{"p":{"v":"Cy"}}"""),
        new("$data empty array drops the element", """[1,{"$data":"${empty}","v":"x"},2]""", People, """[1,2]"""),
        new("$data empty array as a property is null", """{"p":{"$data":"${empty}","v":"x"}}""", People, """{"p":null}"""),
        new("$index counts from zero", """[{"$data":"${people}","i":"${$index}","t":"#${$index}"}]""", People, """[{"i":0,"t":"#0"},{"i":1,"t":"#1"}]"""),
        new("$root inside $data", """[{"$data":"${people}","v":"${$root.title}: ${name}"}]""", People, """[{"v":"Team: Ann"},{"v":"Team: Bo"}]"""),
        new("path inside $data does not fall back to root", """[{"$data":"${people}","v":"${title}"}]""", People, """[{"v":"${title}"},{"v":"${title}"}]""", ["title"]),
        new("$data of scalars", """[{"$data":"${tags}","v":"x"}]""", """{"tags":["a",1,true]}""", """[{"v":"x"},{"v":"x"},{"v":"x"}]"""),
        new("$data scalar item via $data", """[{"$data":"${tags}","v":"${$data}","i":"${$index}"}]""", """{"tags":["a",null,2]}""", """[{"v":"a","i":0},{"v":null,"i":1},{"v":2,"i":2}]"""),
        new("nested $data and $index are restored",
            """[{"$data":"${people}","items":[{"$data":"${tags}","v":"${$data}${$index}"}],"i":"${$index}","n":"${name}"}]""",
            People,
            """[{"items":[{"v":"a0"},{"v":"b1"}],"i":0,"n":"Ann"},{"items":[],"i":1,"n":"Bo"}]"""),
        new("$data inherits into children", """{"$data":"${obj}","x":{"y":"${a}"}}""", Values, """{"x":{"y":1}}"""),
        new("$data at the root", """{"$data":"${obj.b}","v":"${c}","r":"${$root.name}"}""", Values, """{"v":"deep","r":"Ann"}"""),
        new("$index inside a bound object keeps the outer index", """[{"$data":"${people}","o":{"$data":"${$root}","i":"${$index}"}}]""", People, """[{"o":{"i":0}},{"o":{"i":1}}]"""),

        // $when
        new("$when true keeps, false drops", """[{"$when":"${t}","a":1},{"$when":"${no}","b":2},{"$when":"${!t}","c":3}]""", Values, """[{"a":1}]"""),
        new("$when needs a boolean", """[{"$when":"${name}","a":1},{"$when":"${n}","b":2},{"$when":"${arr}","c":3}]""", Values, """[]"""),
        new("$when on a missing path is false", """[{"$when":"${missing}","a":1},{"$when":"${!missing}","b":2}]""", Values, """[{"b":2}]"""),
        new("$when that fails is false", """[{"$when":"${name > 1}","a":1},{"$when":"${count(n) > 0}","b":2}]""", Values, """[]"""),
        new("$when runs per repetition", """[{"$data":"${people}","$when":"${age >= 18}","v":"${name}"}]""", People, """[{"v":"Ann"}]"""),
        new("$when false as a property value is null", """{"p":{"$when":"${no}","v":1}}""", Values, """{"p":null}"""),
        new("$when false at the root", """{"$when":"${no}","v":1}""", Values, """null"""),
        new("$when sees $data of its own element", """[{"$data":"${people}","$when":"${count(tags) > 0}","v":"${name}"}]""", People, """[{"v":"Ann"}]"""),

        // Operators and functions
        new("not", """{"a":"${!t}","b":"${!missing}","c":"${!n}","d":"${!emptyText}","e":"${!nul}","f":"${not(no)}","g":"${!!name}"}""", Values, """{"a":false,"b":true,"c":false,"d":false,"e":true,"f":true,"g":true}"""),
        new("equality", """{"a":"${name == 'Ann'}","b":"${name == 'ann'}","c":"${n == 0}","d":"${missing == nul}","e":"${n != '0'}","f":"${arr == arr}","g":"${obj == obj}","h":"${t == 1}","j":"${missing == null}"}""", Values, """{"a":true,"b":false,"c":true,"d":true,"e":true,"f":true,"g":true,"h":false,"j":true}"""),
        new("equality of structures", """{"a":"${x == y}","b":"${x == z}","c":"${p == q}","d":"${p == r}"}""", """{"x":{"a":1,"b":[1,2]},"y":{"b":[1,2],"a":1},"z":{"a":1},"p":[1,"a"],"q":[1,"a"],"r":["a",1]}""", """{"a":true,"b":false,"c":true,"d":false}"""),
        new("equality of numbers is within epsilon", """{"a":"${x == 0.3}","b":"${y == 1}"}""", """{"x":0.30000000000000004,"y":1.0000001}""", """{"a":true,"b":false}"""),
        new("comparisons", """{"a":"${n < 1}","b":"${count(arr) > 1}","c":"${name > 'A'}","d":"${missing > 1}","e":"${f >= 1.5}","f":"${f <= 1}","g":"${nul < 1}","h":"${'B' < 'a'}"}""", Values, """{"a":true,"b":true,"c":true,"d":false,"e":true,"f":false,"g":false,"h":true}"""),
        new("and and or", """{"a":"${t && n}","b":"${missing || t}","c":"${nul && t}","d":"${no || emptyText}","e":"${no || no}","f":"${t && t && no}","g":"${n && missing}"}""", Values, """{"a":true,"b":true,"c":false,"d":true,"e":false,"f":false,"g":false}"""),
        new("or gives the last operand when nothing is true", """{"a":"${no || nul}","b":"${no || missing}","c":["${nul || missing}"],"d":"${(no || nul) == false}"}""", Values, """{"a":null,"c":[null],"d":false}"""),
        new("precedence: ! binds tighter than ==, == tighter than &&", """{"a":"${!no == true}","b":"${t == t && no == no}","c":"${no || t && t}"}""", Values, """{"a":true,"b":true,"c":true}"""),
        new("parentheses", """{"a":"${!(t && no)}","b":"${(no || t) && t}"}""", Values, """{"a":true,"b":true}"""),
        new("count", """{"a":"${count(arr)}","b":"${count(name)}","c":"${count(obj)}","d":"${count(emptyObj)}","e":"${count('abc')}"}""", Values, """{"a":2,"b":3,"c":2,"d":0,"e":3}"""),
        new("count of a missing path counts the printed path", """{"a":"${count(missing)}"}""", Values, """{"a":10}""", ["missing"]),
        new("length", """{"a":"${length(name)}","b":"${length(emptyText)}","c":"${length(x)}"}""", """{"name":"Zoë","emptyText":"","x":"🎉"}""", """{"a":3,"b":0,"c":2}"""),
        new("length of a missing path in $when is 0", """[{"$when":"${length(missing) == 0}","a":1}]""", Values, """[{"a":1}]"""),
        new("exists", """{"a":"${exists(name)}","b":"${exists(missing)}","c":"${exists(nul)}","d":"${exists(emptyText)}","e":"${exists(no)}"}""", Values, """{"a":true,"b":false,"c":false,"d":true,"e":true}"""),
        new("empty", """{"a":"${empty(emptyText)}","b":"${empty(missing)}","c":"${empty(nul)}","d":"${empty(arr)}","e":"${empty(emptyObj)}","f":"${empty(n)}","g":"${empty(name)}"}""", Values, """{"a":true,"b":true,"c":true,"d":false,"e":true,"f":false,"g":false}"""),
        new("if", """{"a":"${if(t, 'y', 'n')}","b":"${if(missing, 'y', 'n')}","c":"${if(t, f, 'n')}","d":"${if(n, 'zero is true', 'n')}","e":"${if(emptyText, 'y', 'n')}"}""", Values, """{"a":"y","b":"n","c":1.5,"d":"zero is true","e":"y"}"""),
        new("if branch on a missing path prints it", """{"a":"${if(t, missing, 'n')}"}""", Values, """{"a":"${missing}"}""", ["missing"]),
        new("if in text", """{"a":"You have ${count(arr)} item${if(count(arr) == 1, '', 's')}"}""", Values, """{"a":"You have 2 items"}"""),
    ];

    public static IReadOnlyList<DivergentCase> Divergent { get; } =
    [
        new("object in text", """{"v":"o=${obj}"}""", Values, "cannot be placed in text", OfficialExpected: """{"v":"o=[object Object]"}"""),
        new("array in text", """{"v":"a=${arr}"}""", Values, "cannot be placed in text", OfficialExpected: """{"v":"a=1,2"}"""),
        new("null in text", """{"v":"x ${nul} y"}""", Values, "cannot be placed in text", OfficialErrorContains: "Cannot read properties of null"),
        new("$data on a missing path", """[{"$data":"${missing}","v":"${a}"}]""", Values, "$data evaluated to '${missing}'", OfficialExpected: """[{"v":"${a}"}]"""),
        new("$data on a string", """[{"$data":"${name}","v":"${$data}"}]""", Values, "$data evaluated to 'Ann'", OfficialExpected: """[{"v":"Ann"}]"""),
        new("$data on null", """[{"$data":"${nul}","v":"${a}"}]""", Values, "$data evaluated to null", OfficialExpected: """[{"v":"${a}"}]"""),
        new("$data literal", """[{"$data":[{"a":1}],"v":"${a}"}]""", Values, "$data must be one ${...} expression", OfficialExpected: """[{"v":1}]"""),
        new("$when plain text", """[{"$when":"true","a":1}]""", Values, "$when must be one ${...} expression", OfficialExpected: """[]"""),
        new("$when literal boolean", """[{"$when":true,"a":1}]""", Values, "$when must be one ${...} expression", OfficialExpected: """[]"""),
        new("$when constant expression", """[{"$when":"${true}","a":1}]""", Values, "$when must be one ${...} expression", OfficialExpected: """[]"""),
        new("unknown function", """{"v":"${foo(name)}"}""", Values, "function 'foo' is not supported", OfficialErrorContains: "Unknown function foo"),
        new("unknown function in text", """{"v":"x ${foo(name)}"}""", Values, "function 'foo' is not supported", OfficialExpected: """{"v":"x ${foo(name)}"}"""),
        new("comparison of different types", """{"v":"${name > 1}"}""", Values, "not comparable", OfficialErrorContains: "must be comparable"),
        new("comparison of different types in text", """{"v":"x ${name > 1}"}""", Values, "not comparable", OfficialExpected: """{"v":"x ${(name > 1)}"}"""),
        new("<> operator", """{"v":"${n <> 1}"}""", Values, "operator '<>' is not supported", OfficialErrorContains: "Unknown function <>"),
        new("arithmetic", """{"v":"${n + 1}"}""", Values, "operator '+' is not supported", OfficialExpected: """{"v":1}"""),
        new("index access", """{"v":"${arr[0]}"}""", Values, "operator '[' is not supported", OfficialExpected: """{"v":1}"""),
        new("other scope variables", """{"v":"${$host.x}"}""", Values, "'$host' is not supported", OfficialExpected: """{"v":"${$host.x}"}"""),
        new("unclosed ${", """{"v":"cost ${name"}""", Values, "is never closed", OfficialExpected: """{"v":"cost ${name"}"""),
        new("empty ${}", """{"v":"a ${} b"}""", Values, "empty ${} is not supported", OfficialExpected: """{"v":"a ${} b"}"""),
        new("newline inside ${}", """{"v":"${na\nme}"}""", Values, "inside ${...} is not supported", OfficialExpected: """{"v":"${na\nme}"}"""),
        new("backtick with a binding", """{"v":"a `b` ${name}"}""", Values, "backtick", OfficialErrorContains: "syntax error"),
        new("reserved key", """{"$root":1,"v":2}""", Values, "reserved", OfficialExpected: """{"v":2}"""),
    ];
}

using System.Globalization;
using System.Text;

namespace ApprovalBot.Teams.Cards.Binding;

/// <summary>
/// Formats a double the way JavaScript's <c>Number.prototype.toString()</c> does (ECMA-262 Number::toString,
/// radix 10), which is what the official binder produces when a number is interpolated into text:
/// 1 → "1", 1.5 → "1.5", 1e21 → "1e+21", 1e-7 → "1e-7", 123456789012 → "123456789012".
/// </summary>
internal static class JsNumberFormat
{
    public static string ToJsString(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsPositiveInfinity(value))
        {
            return "Infinity";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-Infinity";
        }

        if (value == 0)
        {
            return "0";
        }

        if (value < 0)
        {
            return "-" + ToJsString(-value);
        }

        // .NET's "R" gives the shortest digit string that round-trips, as ECMA-262 requires; only the layout differs.
        var (digits, exponent) = ShortestDigits(value);
        var k = digits.Length;
        var n = exponent; // value = 0.d1d2...dk × 10^n

        if (k <= n && n <= 21)
        {
            return digits + new string('0', n - k);
        }

        if (0 < n && n <= 21)
        {
            return digits[..n] + "." + digits[n..];
        }

        if (-6 < n && n <= 0)
        {
            return "0." + new string('0', -n) + digits;
        }

        var e = n - 1;
        var sign = e < 0 ? "-" : "+";
        var mantissa = k == 1 ? digits : digits[..1] + "." + digits[1..];
        return mantissa + "e" + sign + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Splits a positive finite double into its shortest significant digits and the exponent n with value = 0.digits × 10^n.</summary>
    private static (string Digits, int Exponent) ShortestDigits(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var ePos = text.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            exponent = int.Parse(text[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..ePos];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var integerPart = dot >= 0 ? text[..dot] : text;
        var fractionPart = dot >= 0 ? text[(dot + 1)..] : string.Empty;

        var all = new StringBuilder(integerPart).Append(fractionPart).ToString();
        var pointPosition = integerPart.Length + exponent;

        var leadingZeros = 0;
        while (leadingZeros < all.Length - 1 && all[leadingZeros] == '0')
        {
            leadingZeros++;
        }

        all = all[leadingZeros..];
        pointPosition -= leadingZeros;
        all = all.TrimEnd('0');
        return (all, pointPosition);
    }
}

"""Tests of the quantity-expression evaluator (no Qt, no database)."""
from __future__ import annotations

import ast
import csv
import pickle
import re
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wics_desktop.core import expressions
from wics_desktop.core.expressions import (
    MAX_LENGTH,
    ExpressionError,
    Packs,
    evaluate,
    format_quantity,
    is_valid,
    try_evaluate,
)

COUNTS_CSV = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "wics3" / "Counts.csv"


# --- values ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1080*4+791", 5111),
        ("648*(31)+208+108", 20404),
        ("800*4-20*5", 3100),
        ("-3191", -3191),
        ("=250*21+233", 5483),
        ("250*21+233+100", 5583),
        ("22*18", 396),
        ("10/4*2", 5),
        ("10/3", 10 / 3),
        ("12.5", 12.5),
        (".5", 0.5),
        ("5.", 5),
        ("2.5*2", 5),
        ("0.1+0.2", 0.3),  # exact: a float sum would give 0.30000000000000004
        ("1-2-3", -4),  # left associative
        ("64/4/2", 8),
        ("2+3*4", 14),
        ("(2+3)*4", 20),
        ("--5", 5),
        ("-+-5", 5),
        ("+5", 5),
        ("2*-3", -6),
        ("2--3", 5),
        ("-(2+3)*2", -10),
        ("4x1080", 4320),
        ("4 X 1080", 4320),
        ("4×1080+5", 4325),
        ("(4)x(1080)", 4320),
        ("  = 1080 *\t4 + 791  ", 5111),
        ("1080*4+791\r\n", 5111),
        ("1000000000000000", 10**15),
        ("1000000*1000000000", 10**15),  # the limit itself is allowed
        ("-1000000000000000", -(10**15)),
        ("0", 0),
        ("-0", 0),
        ("0.000", 0),
        ("1/3*3", 1),
        ("007", 7),
    ],
)
def test_values(text, expected):
    result = evaluate(text)
    assert result == expected
    assert type(result) is type(expected)


def test_results_are_int_when_integral_else_float():
    assert type(evaluate("10/4*2")) is int
    assert type(evaluate("5.0")) is int
    assert evaluate("10/3") == 3.3333333333333335
    assert type(evaluate("10/4")) is float


# --- errors ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("", "enter a quantity", None),
        ("   \t", "enter a quantity", None),
        ("=", "enter a quantity", None),
        (" = ", "enter a quantity", None),
        ("__import__('os')", "unexpected '_'", 0),
        ("1e999", "unexpected 'e'", 1),
        ("12 + abc", "unexpected 'a'", 5),
        ("1080*4+791;", "unexpected ';'", 10),
        ("5\x00", "unexpected '\\x00'", 1),
        ("1,080", "commas are not allowed (write 1080, not 1,080)", 1),
        ("=2*1,080", "commas are not allowed (write 1080, not 1,080)", 4),
        ("1+*4", "unexpected '*'", 2),
        ("1 2", "unexpected '2'", 2),
        ("2(3)", "unexpected '('", 1),
        ("()", "unexpected ')'", 1),
        ("x5", "unexpected 'x'", 0),
        ("==5", "unexpected '='", 1),
        ("5=5", "unexpected '='", 1),
        ("1.2.3", "unexpected '.'", 3),
        (".", "unexpected '.'", 0),
        ("(1+2", "missing closing parenthesis for '('", 0),
        ("3*((1+2)", "missing closing parenthesis for '('", 2),
        ("(1 2)", "unexpected '2'", 3),
        ("1+2)", "unmatched ')'", 3),
        (")", "unexpected ')'", 0),
        ("1+", "missing a number after '+'", 1),
        ("-", "missing a number after '-'", 0),
        ("5*(", "missing a number after '('", 2),
        ("1/0", "division by zero", 1),
        ("=7 / (2-2)", "division by zero", 3),
        ("1/0.000", "division by zero", 1),
        ("1000000000000001", "the quantity is too large", 0),
        ("9999999999999999999999", "the quantity is too large", 0),
        ("10000000*1000000000", "the quantity is too large", 8),
        ("999999999999999+2", "the quantity is too large", 15),
        ("-999999999999999-2", "the quantity is too large", 16),
        ("0.1234567890123456", "the number has too many digits (at most 15)", 0),
        ("1/3" + "*1/3" * 70, "the result has too many decimal places", 249),
        ("(" * 101 + "1" + ")" * 101, "too many nested parentheses (at most 100)", 100),
        ("1" * (MAX_LENGTH + 1), f"the expression is longer than {MAX_LENGTH} characters", None),
    ],
)
def test_errors(text, message, position):
    with pytest.raises(ExpressionError) as info:
        evaluate(text)
    err = info.value
    assert err.message == message
    assert err.position == position
    expected_str = message if position is None else f"{message} at position {position}"
    assert str(err) == expected_str
    assert isinstance(err, ValueError)
    value, error = try_evaluate(text)
    assert value is None and str(error) == expected_str
    assert not is_valid(text)


def test_str_form_and_pickling():
    with pytest.raises(ExpressionError) as info:
        evaluate("1+*4")
    assert str(info.value) == "unexpected '*' at position 2"
    copy = pickle.loads(pickle.dumps(info.value))
    assert (copy.message, copy.position, str(copy)) == (info.value.message, 2, str(info.value))


def test_positions_point_into_the_original_text():
    text = "  =  12 + 3 / (4 - 4)"
    with pytest.raises(ExpressionError) as info:
        evaluate(text)
    assert text[info.value.position] == "/"


def test_nesting_at_the_limit_is_fine():
    assert evaluate("(" * 100 + "7" + ")" * 100) == 7
    assert evaluate("-" * 499 + "1") == -1  # unary signs are a loop, not recursion
    assert evaluate("1+" * 249 + "1") == 250


def test_try_evaluate_and_is_valid():
    assert try_evaluate("1080*4+791") == (5111, None)
    value, error = try_evaluate(None)
    assert value is None and isinstance(error, ExpressionError)
    assert str(error) == "enter a quantity"
    assert try_evaluate(42)[1] is not None  # type: ignore[arg-type]
    assert is_valid("=22*18") and not is_valid(None) and not is_valid("1/0")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (5111, "5,111"),
        (-3191, "-3,191"),
        (0, "0"),
        (10 / 3, "3.333"),
        (2.5, "2.5"),
        (5.0, "5"),
        (1234567.125, "1,234,567.125"),
        (0.0004, "0.0004"),  # not 0: a stored quantity never shows as 0 (issue 14)
        (-0.0004, "-0.0004"),
        (None, ""),
    ],
)
def test_format_quantity(value, text):
    assert format_quantity(value) == text


def test_module_uses_no_eval():
    tree = ast.parse(Path(expressions.__file__).read_text(encoding="utf-8"))
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    names |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert not names & {"eval", "exec", "compile", "literal_eval", "__import__"}


# --- pathological inputs -----------------------------------------------------------------

@pytest.mark.timeout(5)
@pytest.mark.parametrize(
    "text",
    [
        "__import__('os')",
        "1e999",
        "1/0",
        "(" * 10_000 + "1" + ")" * 10_000,
        "(" * 10_000,
        "(" * 240 + "1" + ")" * 240,
        "1080*4+791+" * 10_000 + "1",  # about 100 KB
        "9" * 100_000,
        "1/3" + "*1/3" * 120,
        "999999999999999" + "*999999999999999" * 30,
        "1" + "/999999999999999" * 29,
    ],
)
def test_pathological_inputs_fail_cleanly(text):
    with pytest.raises(ExpressionError):
        evaluate(text)


# --- property tests ----------------------------------------------------------------------
# A tree is ("num", text, value) | ("bin", op, left, right) | ("sign", "+"/"-", operand)
# | ("paren", operand). It is rendered with exactly the parentheses its shape needs, so the
# parser must rebuild the same tree, and the reference below applies the module's limits in
# the same order.

_BIG = Fraction(10) ** 15


class _RefError(Exception):
    pass


def _reference(node) -> Fraction:
    kind = node[0]
    if kind == "num":
        return node[2]
    if kind == "paren":
        return _reference(node[1])
    if kind == "sign":
        value = _reference(node[2])
        return -value if node[1] == "-" else value
    _, op, left, right = node
    a, b = _reference(left), _reference(right)
    if op == "/" and b == 0:
        raise _RefError("division by zero")
    value = a + b if op == "+" else a - b if op == "-" else a * b if op == "*" else a / b
    if abs(value) > _BIG or value.denominator > expressions.MAX_DENOMINATOR:
        raise _RefError("too large")
    return value


def _precedence(node) -> int:
    if node[0] == "bin":
        return 1 if node[1] in "+-" else 2
    return 3


def _tokens(node, times: str) -> list[str]:
    kind = node[0]
    if kind == "num":
        return [node[1]]
    if kind == "paren":
        return ["(", *_tokens(node[1], times), ")"]
    if kind == "sign":
        operand = _tokens(node[2], times)
        return [node[1], *(["(", *operand, ")"] if node[2][0] == "bin" else operand)]
    _, op, left, right = node
    prec = _precedence(node)
    lt, rt = _tokens(left, times), _tokens(right, times)
    if _precedence(left) < prec:
        lt = ["(", *lt, ")"]
    if _precedence(right) <= prec:  # a-(b-c), a/(b*c): keep the tree's grouping exactly
        rt = ["(", *rt, ")"]
    return [*lt, times if op == "*" else op, *rt]


def _integer_leaf(n: int):
    return ("num", str(n), Fraction(n))


def _decimal_leaf(whole: int, digits: str, bare: bool):
    value = Fraction(int(str(whole) + digits), 10 ** len(digits))
    # "12.5", "5." (no digits), and ".5" when the whole part is 0 and `bare` is drawn
    text = f".{digits}" if bare and whole == 0 and digits else f"{whole}.{digits}"
    return ("num", text, value)


_leaves = st.one_of(
    st.integers(0, 1200).map(_integer_leaf),
    st.builds(
        _decimal_leaf,
        st.integers(0, 99),
        st.text(alphabet="0123456789", max_size=2),
        st.booleans(),
    ),
)
_trees = st.recursive(
    _leaves,
    lambda children: st.one_of(
        st.tuples(st.just("bin"), st.sampled_from("+-*/"), children, children),
        st.tuples(st.just("sign"), st.sampled_from("+--"), children),
        st.tuples(st.just("paren"), children),
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=_trees, data=st.data())
def test_random_expressions_match_a_fraction_reference(tree, data):
    times = data.draw(st.sampled_from(["*", "*", "x", "X", "×"]))
    tokens = _tokens(tree, times)
    spaces = data.draw(st.lists(
        st.sampled_from(["", "", " ", "\t", "  "]),
        min_size=len(tokens) + 1, max_size=len(tokens) + 1))
    prefix = data.draw(st.sampled_from(["", "=", " =", "= "]))
    # a space before each token, and the last one after them
    text = prefix + "".join(s + t for s, t in zip(spaces[:-1], tokens, strict=True)) + spaces[-1]
    assert len(text) <= MAX_LENGTH
    if re.search(r"(?<![0-9.])0+[xX][0-9a-fA-F]", text):
        assert not is_valid(text)  # "0x5" looks hexadecimal: refused, never 0 x 5
        return
    try:
        expected = _reference(tree)
    except _RefError:
        with pytest.raises(ExpressionError):
            evaluate(text)
        return
    result = evaluate(text)
    if expected.denominator == 1:
        assert type(result) is int and result == expected
    else:
        assert type(result) is float and result == float(expected)


@pytest.mark.timeout(60)
@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet="0123456789.+-*/()=,xX× \t", max_size=80)))
def test_random_text_raises_only_expression_error(text):
    value, error = try_evaluate(text)
    try:
        result = evaluate(text)
    except ExpressionError as err:
        assert value is None and str(err) == str(error)
        assert err.position is None or 0 <= err.position <= len(text)
    else:
        assert error is None and result == value
        assert isinstance(result, (int, float)) and abs(result) <= 10**15


# --- real data ---------------------------------------------------------------------------

@pytest.mark.skipif(not COUNTS_CSV.exists(), reason="WICS-3 sample data not available")
def test_every_wics3_expression_evaluates_to_an_integer():
    with COUNTS_CSV.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expressions_ = [row["CTD QTY Expr"] for row in rows if row["CTD QTY Expr"].strip()]
    assert len(expressions_) >= 2500
    values = [evaluate(text) for text in expressions_]
    assert all(type(value) is int for value in values)
    assert rows[0]["CTD QTY Expr"] == "1080*4+791" and values[0] == 5111
    known = dict(zip(expressions_, values, strict=True))
    assert known["22*18"] == 396
    assert known["480*7+288*12+240+384*10"] == 10896


# --- packs: 3P+2C+17 ----------------------------------------------------------------------

PACKS = Packs.of("40 ctn/plt", "12 per box")


@pytest.mark.parametrize(
    ("text", "value", "expanded"),
    [
        ("3P+2C+17", 161, "3*40+2*12+17"),
        ("3p+2c+17", 161, "3*40+2*12+17"),
        ("=3P + 17", 137, "3*40 + 17"),
        ("-1P", -40, "-1*40"),
        ("2*3P", 240, "2*3*40"),
        ("0.5P", 20, "0.5*40"),
        ("240/2P", 3, "240/(2*40)"),  # the pack stays one operand after '/'
        ("240/+1P", 6, "240/+(1*40)"),  # also through a sign (found by the property test)
        ("240/-1P*2", -12, "240/-(1*40)*2"),
        ("(1P+1C)x2", 104, "(1*40+1*12)x2"),
        ("1080*4+791", 5111, "1080*4+791"),
    ],
)
def test_packs_expand_to_the_typical_quantities(text, value, expanded):
    assert evaluate(text, PACKS) == value
    assert expressions.expand(text, PACKS) == expanded
    assert evaluate(expressions.expand(text, PACKS)) == value  # the expansion means the same


def test_describe_shows_the_arithmetic_a_clerk_checks():
    assert expressions.describe("3P+2C+17", PACKS) == "3P+2C+17 = 3×40 + 2×12 + 17 = 161"
    assert expressions.describe("1080*4+791") == "1080*4+791 = 5,111"


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("3P", "3P means 3 pallets, but the material has no pallet quantity in "
               "'Typical pallet qty'", 1),
        ("1+2C", "2C means 2 containers, but the material has no container quantity in "
                 "'Typical container qty'", 3),
        ("P3", "P needs the number of pallets before it, as in 3P", 0),
        ("3Q", "unexpected 'Q'", 1),
        ("3PP", "P needs the number of pallets before it, as in 3P", 2),
        ("3 P", "write the number and P together, as in 3P (3 pallets)", 2),
        ("2*c", "c needs the number of containers before it, as in 3c", 2),
        ("0x10", "'0x10' looks like a hexadecimal number, not a quantity", 0),
        ("5+0X1F", "'0X1F' looks like a hexadecimal number, not a quantity", 2),
    ],
)
def test_pack_and_letter_errors(text, message, position):
    with pytest.raises(ExpressionError) as info:
        evaluate(text, Packs() if "means" in message else PACKS)
    assert (info.value.message, info.value.position) == (message, position)


def test_0x10_was_read_as_zero_times_ten_and_is_now_refused():
    assert not is_valid("0x10") and not is_valid("00x5")
    assert evaluate("0 x 10") == 0 and evaluate("10x5") == 50 and evaluate("0.0x5") == 0


@pytest.mark.parametrize(
    ("text", "value"),
    [("40 ctn/plt", 40), ("4 per box", 4), ("10/ctn", 10), ("1,080 per pallet", 1080),
     ("12.5 kg", Fraction(25, 2)), ("ctn of 6", 6), ("", None), (None, None), ("none", None),
     ("0/plt", None), ("1,08", 1)],
)
def test_first_number_of_a_typical_quantity(text, value):
    assert expressions.first_number(text) == value


_pack_leaves = st.builds(
    lambda n, letter: ("num", f"{n}{letter}", Fraction(n) * PACKS.size(letter)),
    st.integers(0, 99), st.sampled_from("PpCc"))
_pack_trees = st.recursive(
    st.one_of(_leaves, _pack_leaves),
    lambda children: st.one_of(
        st.tuples(st.just("bin"), st.sampled_from("+-*/"), children, children),
        st.tuples(st.just("sign"), st.sampled_from("+--"), children),
        st.tuples(st.just("paren"), children),
    ),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=_pack_trees, times=st.sampled_from(["*", "x", "×"]))
def test_random_pack_expressions_match_the_reference_and_their_expansion(tree, times):
    text = "".join(_tokens(tree, times))
    if re.search(r"(?<![0-9.])0+[xX][0-9a-fA-F]", text):
        assert not is_valid(text, PACKS)  # "0x5": refused as hexadecimal-looking
        return
    try:
        expected = _reference(tree)
    except _RefError:
        with pytest.raises(ExpressionError):
            evaluate(text, PACKS)
        return
    assert evaluate(text, PACKS) == (int(expected) if expected.denominator == 1
                                     else float(expected))
    assert evaluate(expressions.expand(text, PACKS)) == evaluate(text, PACKS)
    shown = expressions.describe(text, PACKS).split(" = ")  # typed = written out = value
    if len(shown) == 3:  # the written-out middle is itself a valid, equal expression
        assert evaluate(shown[1]) == evaluate(text, PACKS)

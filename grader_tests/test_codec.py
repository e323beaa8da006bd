"""The plain-data codec between a sandbox and the trusted side.

Honest values cross unchanged (type, dtype, shape and value); values that carry behaviour (subclasses,
odd objects) arrive as inert Opaque markers; anything malformed a hostile sandbox could send raises
CodecError and nothing else; what a student's code raised is rebuilt as an ordinary exception.
"""

from __future__ import annotations

import ast
import json
import math

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.grading import codec

from conftest import ROOT

finite_or_not = st.floats(allow_nan=True, allow_infinity=True)
scalars = st.none() | st.booleans() | st.integers(min_value=-10 ** 40, max_value=10 ** 40) | finite_or_not | \
    st.text(max_size=20) | st.complex_numbers(allow_nan=False)
plain = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=5) | st.integers(), inner, max_size=4),
    max_leaves=20,
)


def same(a, b) -> bool:
    """Equal with identical types all the way down (nan equals nan)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, complex):
        return same(a.real, b.real) and same(a.imag, b.imag)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return a == b


def roundtrip(value):
    return codec.loads(codec.dumps(value))


@settings(max_examples=300, deadline=None)
@given(plain)
def test_plain_values_cross_unchanged(value):
    assert same(roundtrip(value), value)


@pytest.mark.parametrize("dtype", sorted(codec.ARRAY_DTYPES))
@pytest.mark.parametrize("shape", [(), (0,), (5,), (2, 3), (2, 0, 4)])
def test_arrays_of_every_allowed_dtype_keep_dtype_shape_and_values(dtype, shape):
    rng = np.random.default_rng(7)
    array = np.asarray(np.abs(rng.normal(size=shape)) * 50).astype(dtype)
    back = roundtrip(array)
    assert type(back) is np.ndarray and back.dtype == array.dtype and back.shape == array.shape
    np.testing.assert_array_equal(back, array)
    scalar = array.dtype.type(3)
    assert type(roundtrip(scalar)) is type(scalar) and roundtrip(scalar) == scalar


def test_big_endian_and_non_contiguous_arrays_decode_to_their_values():
    array = np.arange(12, dtype=">f8").reshape(3, 4)[:, ::2]
    back = roundtrip(array)
    np.testing.assert_array_equal(back, array)
    assert back.dtype == np.float64


def test_string_arrays_cross_as_string_arrays():
    array = np.array([["c", "a"], ["b", "dd"]])
    back = roundtrip(array)
    assert back.dtype.kind == "U" and back.shape == (2, 2)
    assert back.tolist() == array.tolist()


def test_sympy_expressions_cross_unchanged():
    z, y, yhat = sympy.symbols("z y yhat")
    expressions = [1 / (1 + sympy.exp(-z)) - y, -(y / yhat) + (1 - y) / (1 - yhat), yhat * (1 - yhat),
                   sympy.Rational(3, 7) * sympy.log(z) ** 2, sympy.Piecewise((z, z > 0), (0, True)),
                   sympy.Float("0.1", 30) + sympy.pi, sympy.Eq(z, y), sympy.oo, -sympy.oo, sympy.I * z]
    for expression in expressions:
        back = roundtrip(expression)
        assert back == expression, (expression, back)
        assert sympy.srepr(back) == sympy.srepr(expression)


def test_sympy_nodes_stay_unevaluated_data():
    huge = sympy.factorial(sympy.Integer(10) ** 100, evaluate=False)
    back = roundtrip(huge)  # evaluated on decoding, this would never finish
    assert isinstance(back, sympy.factorial) and back.args == (sympy.Integer(10) ** 100,)


def test_sympy_function_outside_the_allow_list_is_refused():
    tree = {"t": "symfn", "f": "Function", "args": ["os.system"]}
    with pytest.raises(codec.CodecError, match="not allowed"):
        codec.decode(tree)
    # a class SymPy has but the allow-list omits is sent as opaque by the encoder
    z = sympy.Symbol("z")
    assert isinstance(roundtrip(sympy.besselj(0, z)), codec.Opaque)


class Agreeable(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


class AgreeableArray(np.ndarray):
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return True


@pytest.mark.parametrize("value", [Agreeable(0.1), np.zeros(3).view(AgreeableArray), object(), len,
                                   np.array([1, 2], dtype=object).view(AgreeableArray)],
                         ids=["float-subclass", "ndarray-subclass", "object", "function", "object-array-subclass"])
def test_values_with_behaviour_arrive_inert(value):
    back = roundtrip(value)
    assert isinstance(back, codec.Opaque)
    assert back != 0.1 and not (back == back)
    for use in (float, abs, lambda v: v + 1, lambda v: v < 1, bool, np.asarray, lambda v: v.real):
        with pytest.raises(TypeError):
            use(back)


def test_figures_cross_as_line_data():
    from matplotlib.figure import Figure

    figure = Figure()
    ax = figure.add_subplot()
    grid = np.linspace(0.01, 0.99, 50)
    ax.plot(grid, grid ** 3 * (1 - grid) ** 2, label="likelihood")
    ax.set_xlabel("theta")
    ax.set_title("coin")
    ax.legend()
    back = roundtrip(figure)
    assert type(back) is Figure
    (ax_back,) = back.axes
    (line,) = ax_back.get_lines()
    np.testing.assert_array_equal(line.get_xdata(), grid)
    assert (ax_back.get_xlabel(), ax_back.get_title(), line.get_label()) == ("theta", "coin", "likelihood")


def test_vlines_and_hlines_cross_with_their_segments_and_dashes():
    """ax.vlines / ax.hlines draw LineCollections; tests read their segments and whether they are dashed."""
    from matplotlib.collections import LineCollection, PathCollection
    from matplotlib.figure import Figure

    figure = Figure()
    ax = figure.add_subplot()
    ax.vlines([0.6, 0.7], 0, 1)
    ax.hlines(1.6, 0, 1, linestyles="--")
    ax.scatter([0.2], [0.3])
    lines, dashed, points = roundtrip(figure).axes[0].collections
    assert type(lines) is LineCollection and type(dashed) is LineCollection and type(points) is PathCollection
    np.testing.assert_array_equal(np.asarray(lines.get_segments()), [[[0.6, 0], [0.6, 1]], [[0.7, 0], [0.7, 1]]])
    assert all(pattern is None for _, pattern in lines.get_linestyles()), "solid lines stay solid"
    np.testing.assert_array_equal(np.asarray(dashed.get_segments()), [[[0, 1.6], [1, 1.6]]])
    assert all(pattern for _, pattern in dashed.get_linestyles()), "a dashed line stays dashed"
    np.testing.assert_array_equal(points.get_offsets(), [[0.2, 0.3]])


def test_malformed_line_collections_are_refused():
    segment = codec.encode(np.zeros((2, 2)))
    for collection in ({"segments": [segment], "dashes": []}, {"segments": [segment], "dashes": [["x"]]},
                       {"segments": [segment], "dashes": [[-1.0]]}, {"segments": "no", "dashes": []}):
        with pytest.raises(codec.CodecError):
            codec.decode({"t": "figure", "axes": [{"lines": [], "collections": [collection]}]})


def test_figure_with_too_many_artists_is_refused():
    line = {"x": codec.encode(np.zeros(1)), "y": codec.encode(np.zeros(1))}
    tree = {"t": "figure", "axes": [{"lines": [line] * (codec.MAX_ARTISTS + 1), "collections": []}]}
    with pytest.raises(codec.CodecError, match="more than"):
        codec.decode(tree)


MALFORMED = {
    "unknown tag": {"t": "pickle", "v": "gASVAAAAAAAAAAA="},
    "untagged object": {"a": 1},
    "dtype not allowed": {"t": "ndarray", "dtype": "object", "shape": [1], "b": ""},
    "data shorter than shape": {"t": "ndarray", "dtype": "float64", "shape": [4], "b": "AAAAAAAAAAA="},
    "negative shape": {"t": "ndarray", "dtype": "float64", "shape": [-1], "b": ""},
    "bad base64": {"t": "ndarray", "dtype": "float64", "shape": [1], "b": "!!!"},
    "int too long": {"t": "int", "v": "9" * 6000},
    "int not digits": {"t": "int", "v": "__import__('os')"},
    "float field not text": {"t": "float", "v": 1},
    "unhashable key": {"t": "dict", "v": [[[1], 2]]},
    "dict pair not a pair": {"t": "dict", "v": [[1, 2, 3]]},
    "objarray shape mismatch": {"t": "objarray", "shape": [5], "v": [1, 2]},
    "strarray not strings": {"t": "strarray", "shape": [1], "v": [1]},
    "sympy atom": {"t": "symatom", "v": "__class__"},
    "sympy precision": {"t": "symfloat", "v": "1.0", "prec": 10 ** 9},
    "figure line lengths": {"t": "figure", "axes": [{"lines": [{"x": codec.encode(np.zeros(2)),
                                                                "y": codec.encode(np.zeros(3))}]}]},
    "npscalar size": {"t": "npscalar", "dtype": "float64", "b": "AAAA"},
}


@pytest.mark.parametrize("tree", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_data_raises_codec_error(tree):
    with pytest.raises(codec.CodecError):
        codec.decode(tree)


def test_deep_and_large_messages_are_refused():
    with pytest.raises(codec.CodecError):
        codec.loads(b"[" * 100_000 + b"]" * 100_000)
    deep = nested = []
    for _ in range(codec.MAX_DEPTH + 5):
        nested.append([])
        nested = nested[0]
    with pytest.raises(codec.CodecError, match="deeply"):
        codec.decode(deep)
    with pytest.raises(codec.CodecError, match="too large"):
        codec.decode([0] * (codec.MAX_NODES + 1))
    with pytest.raises(codec.CodecError):
        codec.loads(b"{not json")


json_trees = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10)
    | st.sampled_from(["int", "float", "ndarray", "symfn", "dict", "tuple", "figure", "npscalar", "objarray"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["t", "v", "b", "dtype", "shape", "f", "args", "axes", "lines", "re", "im"]), inner,
        max_size=5),
    max_leaves=25,
)


@settings(max_examples=500, deadline=None)
@given(json_trees)
def test_any_json_decodes_or_raises_codec_error(tree):
    try:
        codec.decode(tree)
    except codec.CodecError:
        pass


@pytest.mark.parametrize(("name", "expected"), [
    ("ValueError", ValueError), ("ZeroDivisionError", ZeroDivisionError), ("UnicodeDecodeError", UnicodeError),
    ("SystemExit", RuntimeError), ("KeyboardInterrupt", RuntimeError), ("GeneratorExit", RuntimeError),
    ("BaseExceptionGroup", RuntimeError), ("NotAnException", RuntimeError), (None, RuntimeError),
])
def test_student_exceptions_are_rebuilt_as_ordinary_exceptions(name, expected):
    exc = codec.rebuild_exception(name, "message " * 1000)
    assert type(exc) is expected
    assert isinstance(exc, Exception)  # never BaseException only: a test's `except Exception` sees it
    assert len(str(exc)) <= 2100


def test_exception_names_collapse_student_subclasses():
    class Sneaky(KeyError):
        pass

    assert codec.exception_name(Sneaky()) == "KeyError"
    assert codec.exception_name(SystemExit(0)) == "SystemExit"


@pytest.mark.parametrize("module", ["codec.py", "client.py", "runner.py", "sandbox.py", "batch.py"])
def test_trusted_side_never_unpickles_or_evaluates_sandbox_data(module):
    tree = ast.parse((ROOT / "autograder" / "grading" / module).read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in node.names} | {node.module.split(".")[0] for node in ast.walk(tree)
                                              if isinstance(node, ast.ImportFrom) and node.module}
    assert not imported & {"pickle", "dill", "cloudpickle", "marshal", "shelve", "jsonpickle"}
    calls = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert "eval" not in calls
    if module == "codec.py":
        assert "exec" not in calls


def test_encoded_trees_are_json():
    value = {"a": [1, 2.5, np.arange(3)], (1, 2): sympy.Symbol("x")}
    assert json.loads(codec.dumps(value)) == codec.encode(value)

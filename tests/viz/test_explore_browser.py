"""`ag.viz.explore` in a real headless browser (Debian's chromium and chromium-driver, driven by
selenium): click through both sweeps, and check what the page shows against the engine.

Skips when the browser, its driver or selenium is missing, except in CI (CI=true), where the
setup installs them and a skip would hide a broken page.
"""

import json
import os
import shutil

import numpy as np
import pytest
from viz_graphs import lesson_graph

import autograd as ag
import nn

BROWSER, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def _missing():
    if not (os.path.exists(BROWSER) and os.path.exists(DRIVER)):
        return f"needs {BROWSER} and {DRIVER} (apt-get install chromium chromium-driver)"
    if shutil.which("dot") is None:
        return "needs Graphviz's dot"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "needs the selenium package (pip install selenium)"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser test must run in CI: {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = BROWSER
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--hide-scrollbars"):
        options.add_argument(arg)
    # The driver's path is given, so Selenium Manager never runs (it would download one).
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1100, "height": 700, "deviceScaleFactor": 1, "mobile": False})
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["http://*", "https://*"]})
    yield driver
    driver.quit()


def open_page(driver, y, tmp_path, name, **options):
    path = tmp_path / f"{name}.html"
    ag.viz.explore(y, path, **options)
    driver.get(path.resolve().as_uri())
    return driver


def nodes(driver):
    """{data-name: the node's data-* attributes} as the page shows them now."""
    return driver.execute_script("""
        const out = {};
        document.querySelectorAll('g.node[data-name]').forEach(g => {
          out[g.dataset.name] = Object.assign({}, g.dataset);
        });
        return out;""")


def full(attrs, key):
    return np.array(json.loads(attrs[f"{key}Full"]))


def click(driver, control, times=1):
    for _ in range(times):
        driver.find_element("id", control).click()


def messages(driver):
    return driver.execute_script(
        "return [...document.querySelectorAll('g.edge[data-message]')].map(g => g.dataset.message)")


def test_diamond_reverse_then_forward(browser, tmp_path):
    a, b, c, d, e = lesson_graph()
    page = open_page(browser, e, tmp_path, "diamond", wrt=b)
    click(page, "mode-reverse")
    shown = nodes(page)
    assert shown["b"]["value"] == "1" and "adjoint" not in shown["b"] and messages(page) == []
    click(page, "next")  # e: adjoint 1; messages to c and d
    assert nodes(page)["e"]["adjoint"] == "1"
    assert sorted(messages(page)) == ["2", "3"]
    click(page, "next")  # d complete: its message 1 × 3 = 3 reaches b first
    shown = nodes(page)
    assert shown["d"]["adjoint"] == "3" and shown["b"]["adjoint"] == "3"
    click(page, "next")  # c complete: 1 × 2 = 2 to a and to b, which now holds 3 + 2
    shown = nodes(page)
    assert shown["b"]["adjoint"] == "5" and shown["a"]["adjoint"] == "2"
    assert "3 + 2 = 5" in page.find_element("id", "n-t2").text
    assert "b: 1 × 2 = 2" in page.find_element("id", "explain").text
    click(page, "next", 2)
    e.backward(retain_graph=True)
    shown = nodes(page)
    assert float(shown["a"]["adjoint"]) == a.grad.item()
    assert float(shown["b"]["adjoint"]) == b.grad.item() == 5.0
    page.save_screenshot(str(tmp_path / "diamond-reverse.png"))
    click(page, "prev")
    assert "current" in page.find_element("id", "n-t2").get_attribute("class")
    click(page, "reset")
    assert "adjoint" not in nodes(page)["e"] and messages(page) == []

    click(page, "mode-forward")
    page.find_element("tag name", "body").send_keys("\ue014" * 5)  # ArrowRight, five times
    shown = nodes(page)
    _, tangent = ag.jvp(lambda a, b: (a + b) * (b + 1), (a, b), (0.0, 1.0))
    assert float(shown["e"]["tangent"]) == tangent.item() == 5.0
    assert float(shown["e"]["value"]) == e.item()
    assert "2 + 3 = 5" in page.find_element("id", "n-t6").text
    assert page.find_element("id", "step").get_attribute("value") == "5"
    page.save_screenshot(str(tmp_path / "diamond-forward.png"))
    logs = [entry for entry in page.get_log("browser") if entry["level"] == "SEVERE"]
    assert logs == []


def test_mlp_reverse_numbers_match_backward(browser, tmp_path):
    rng = np.random.default_rng(0)
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    x = ag.Tensor(rng.standard_normal((4, 2)).astype(np.float32), name="x")
    target = ag.Tensor(rng.standard_normal((4, 1)).astype(np.float32), name="target")
    out = model(x)
    loss = nn.MSELoss()(out, target)
    loss.name = "loss"
    # expand=True: each Linear a dashed cluster, so its parameters are nodes of their own
    page = open_page(browser, loss, tmp_path, "mlp", model=model, expand=True, wrt=model[0].bias)
    click(page, "mode-forward")
    steps = int(page.find_element("id", "step").get_attribute("max"))
    page.find_element("id", "step").send_keys("")  # End on the slider: the last step
    shown = nodes(page)
    assert float(shown["loss"]["value"]) == pytest.approx(loss.item(), rel=1e-4)
    assert np.allclose(full(shown["loss"], "value"), [loss.item()])
    _, tangent = ag.jvp(lambda b: nn.MSELoss()(model[2](model[1](x @ model[0].weight.T + b)),
                                               target), (model[0].bias,), (np.ones(3, "f"),))
    assert np.allclose(full(shown["loss"], "tangent"), [tangent.item()], rtol=1e-5)
    click(page, "mode-reverse")
    click(page, "next", steps)
    loss.backward(retain_graph=True)
    shown = nodes(page)
    for name, p in model.named_parameters():
        assert np.allclose(full(shown[name], "adjoint"), p.grad.numpy().ravel(), rtol=1e-5), name
    page.save_screenshot(str(tmp_path / "mlp-reverse.png"))
    fired = messages(page)
    assert len(fired) >= 6  # every edge that carries a gradient has fired

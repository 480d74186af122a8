// The live rate page: polls api/state and draws every connection's rate over the last minutes (the paper's
// Figure 8, live), the admission state beside it, the connections and the last events. Plain JS, no library.
(function () {
  'use strict';
  var PALETTE = ['#3b6fd8', '#e0533d', '#2a9d6f', '#9b59b6', '#f0a33a', '#17a2b8', '#c0392b', '#5d6d7e',
    '#8e44ad', '#27ae60', '#d35400', '#2c3e50'];
  var colours = {};
  var nextColour = 0;
  // what the page has done, for people and for the browser test
  var page = window.atmRates = { polls: 0, failures: 0, draws: 0, samples: -1, lastError: '' };
  var pollMs = 1000;

  function colour(id) {
    if (!(id in colours)) { colours[id] = PALETTE[nextColour++ % PALETTE.length]; }
    return colours[id];
  }

  function mbps(bits) { return (bits / 1e6).toFixed(2); }

  function text(tag, content, cls) {
    var e = document.createElement(tag);
    if (content !== undefined) { e.textContent = content; }
    if (cls) { e.className = cls; }
    return e;
  }

  function niceCeiling(v) {
    if (v <= 0) { return 10; }
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) { if (steps[i] * p >= v) { return steps[i] * p; } }
    return 10 * p;
  }

  function drawPlot(state) {
    var canvas = document.getElementById('plot');
    var ratio = window.devicePixelRatio || 1;
    var w = canvas.clientWidth, h = canvas.clientHeight;
    if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
      canvas.width = Math.round(w * ratio);
      canvas.height = Math.round(h * ratio);
    }
    var g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, w, h);
    var left = 56, right = 12, top = 10, bottom = 30;
    var end = state.lastSample || state.now, start = end - state.historySeconds * 1000;
    var max = 0;
    state.connections.forEach(function (c) {
      c.points.forEach(function (p) { if (p[0] >= start && p[1] > max) { max = p[1]; } });
    });
    var yMax = niceCeiling(max / 1e6 * 1.1);
    var x = function (t) { return left + (t - start) / (end - start) * (w - left - right); };
    var y = function (bits) { return top + (1 - bits / 1e6 / yMax) * (h - top - bottom); };
    // grid and axes
    g.strokeStyle = '#e3e7ee';
    g.fillStyle = '#556';
    g.lineWidth = 1;
    g.font = '12px system-ui, sans-serif';
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (var i = 0; i <= 5; i++) {
      var v = yMax * i / 5, yy = Math.round(y(v * 1e6)) + 0.5;
      g.beginPath(); g.moveTo(left, yy); g.lineTo(w - right, yy); g.stroke();
      g.fillText((v % 1 === 0 ? v : v.toFixed(1)) + '', left - 6, yy);
    }
    g.save();
    g.translate(14, (h - bottom) / 2);
    g.rotate(-Math.PI / 2);
    g.textAlign = 'center';
    g.fillText('Mbit/s', 0, 0);
    g.restore();
    g.textAlign = 'center';
    g.textBaseline = 'top';
    var span = state.historySeconds;
    var tick = span > 600 ? 120 : span > 120 ? 60 : span > 30 ? 10 : 5;
    for (var s = 0; s <= span; s += tick) {
      var xx = Math.round(x(end - s * 1000)) + 0.5;
      g.beginPath(); g.moveTo(xx, top); g.lineTo(xx, h - bottom); g.stroke();
      g.fillText(s === 0 ? 'now' : '-' + (s >= 60 ? (s / 60) + ' min' : s + ' s'), xx, h - bottom + 6);
    }
    // one line per connection
    state.connections.forEach(function (c) {
      var pts = c.points.filter(function (p) { return p[0] >= start; });
      if (pts.length === 0) { return; }
      g.strokeStyle = colour(c.id);
      g.lineWidth = 2;
      g.setLineDash(c.direction === 'rx' ? [6, 3] : []);
      g.beginPath();
      pts.forEach(function (p, k) {
        if (k === 0) { g.moveTo(x(p[0]), y(p[1])); } else { g.lineTo(x(p[0]), y(p[1])); }
      });
      if (pts.length === 1) { g.arc(x(pts[0][0]), y(pts[0][1]), 2, 0, 2 * Math.PI); }
      g.stroke();
    });
    g.setLineDash([]);
    page.draws++;
    canvas.dataset.draws = page.draws;
  }

  function drawLegendAndTable(state) {
    var legend = document.getElementById('legend');
    legend.replaceChildren();
    var body = document.querySelector('#connections tbody');
    body.replaceChildren();
    state.connections.forEach(function (c) {
      var li = text('li', undefined, c.open ? '' : 'closed');
      var swatch = text('i');
      swatch.style.background = colour(c.id);
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(c.pvc + ' ' + c.direction + ' ' + c['class'] + ' ' + c.contract + ': '
          + mbps(c.bitsPerSecond) + ' Mbit/s'));
      li.dataset.pvc = c.pvc;
      legend.appendChild(li);
      if (!c.open) { return; }
      var tr = document.createElement('tr');
      tr.dataset.pvc = c.pvc;
      tr.dataset.direction = c.direction;
      [c.pvc, c.direction, c['class'], c.contract, c.policy || '-'].forEach(function (v) { tr.appendChild(text('td', v)); });
      [mbps(c.bitsPerSecond), c.pdus, c.dropped, c.suspensions].forEach(function (v) { tr.appendChild(text('td', String(v), 'n')); });
      body.appendChild(tr);
    });
    if (body.children.length === 0) {
      var tr = document.createElement('tr');
      var td = text('td', state.server ? 'no connections' : 'the protocol server is not running');
      td.colSpan = 9;
      tr.appendChild(td);
      body.appendChild(tr);
    }
  }

  function bar(fraction, cls) {
    var b = text('div', undefined, 'bar');
    var f = text('div', undefined, cls || 'reserved');
    f.style.width = Math.max(0, Math.min(100, fraction * 100)).toFixed(1) + '%';
    b.appendChild(f);
    return b;
  }

  function drawAdmission(state) {
    var box = document.getElementById('admission');
    box.replaceChildren();
    var adm = state.admission;
    if (!adm.present) {
      box.appendChild(text('p', 'No admission control is running: guaranteed connections are refused and best '
          + 'effort shares each line.', 'note'));
    }
    var lines = {};
    state.interfaces.forEach(function (i) { lines[i.itf] = i; });
    adm.interfaces.forEach(function (a) {
      var itf = lines[a.itf];
      var div = text('div', undefined, 'itf');
      div.dataset.itf = a.itf;
      div.appendChild(text('strong', 'itf ' + a.itf + (itf ? ' (' + itf.name + ', ' + (itf.up ? 'up' : 'down') + ')' : '')));
      var line = itf ? itf.lineCellsPerSecond : 0;
      var bw = (a.resources || []).filter(function (r) { return r.resource === 'BANDWIDTH'; })[0];
      var reserved = bw ? bw.reserved : 0;
      var capacity = bw ? bw.capacity : line;
      div.appendChild(bar(capacity > 0 ? reserved / capacity : 0));
      div.appendChild(text('div', 'bandwidth: ' + Math.round(reserved) + ' of ' + Math.round(capacity)
          + ' cells/s reserved; best effort ' + Math.round(a.bestEffortCellsPerSecond) + ' cells/s ('
          + mbps(a.bestEffortCellsPerSecond * 424) + ' Mbit/s of cells); ' + a.reservations + ' reservations', 'caption'));
      (a.resources || []).forEach(function (r) {
        if (r.resource === 'BANDWIDTH') { return; }
        div.appendChild(bar(r.capacity > 0 ? r.reserved / r.capacity : 0));
        var amount = r.unit === 'utilisation' ? (r.reserved * 100).toFixed(1) + ' % of ' + (r.capacity * 100).toFixed(0) + ' %'
            : Math.round(r.reserved) + ' of ' + Math.round(r.capacity) + ' ' + r.unit;
        div.appendChild(text('div', r.resource.toLowerCase() + ': ' + amount + ' reserved', 'caption'));
      });
      box.appendChild(div);
    });
    if (adm.cpuModel) {
      var m = adm.cpuModel;
      box.appendChild(text('div', 'CPU model (calibrated ' + m.calibratedAt + '): tx ' + Math.round(m.transmitNanosPerPdu)
          + ' ns/PDU + ' + m.transmitNanosPerByte.toFixed(3) + ' ns/B, rx ' + Math.round(m.receiveNanosPerPdu) + ' ns/PDU + '
          + m.receiveNanosPerByte.toFixed(3) + ' ns/B', 'caption'));
    }
  }

  function drawEvents(state) {
    var list = document.getElementById('events');
    list.replaceChildren();
    state.events.slice().reverse().forEach(function (e) {
      var li = document.createElement('li');
      li.appendChild(text('time', new Date(e.time).toLocaleTimeString()));
      li.appendChild(document.createTextNode(e.topic + (e.properties ? ': ' + e.properties : '')));
      list.appendChild(li);
    });
  }

  function render(state) {
    document.getElementById('window').textContent = '(last ' + (state.historySeconds >= 60
        ? (state.historySeconds / 60) + ' min' : state.historySeconds + ' s') + ', sampled every '
        + state.sampleIntervalMs + ' ms)';
    drawPlot(state);
    drawLegendAndTable(state);
    drawAdmission(state);
    drawEvents(state);
    var status = document.getElementById('status');
    status.textContent = 'sample ' + state.samples + ' at ' + new Date(state.lastSample || state.now).toLocaleTimeString()
        + ', ' + state.connections.filter(function (c) { return c.open; }).length + ' connections';
    status.className = 'status';
    page.samples = state.samples;
    page.state = state;
    document.body.dataset.samples = state.samples;
  }

  function poll() {
    fetch('api/state', { cache: 'no-store' }).then(function (r) {
      if (!r.ok) { throw new Error('HTTP ' + r.status); }
      return r.json();
    }).then(function (state) {
      page.polls++;
      pollMs = state.pollIntervalMs || pollMs;
      render(state);
    }).catch(function (e) {
      page.failures++;
      page.lastError = String(e);
      var status = document.getElementById('status');
      status.textContent = 'no answer from the platform (' + e + '); retrying';
      status.className = 'status stale';
    }).then(function () { setTimeout(poll, pollMs); });
  }

  poll();
}());

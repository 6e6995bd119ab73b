// nagare viewer: sortable tables, diagram pan/zoom, step tooltips, compare links, live reload.
// Plain JavaScript, no build step; loaded from /static (the CSP forbids inline script).
'use strict';

(function () {
  // Pan/zoom state per diagram name, kept across live-reload swaps so the view does not jump.
  const views = new Map();

  function baseBox(svg) {
    const vb = svg.viewBox && svg.viewBox.baseVal;
    if (vb && vb.width > 0 && vb.height > 0) {
      return { x: vb.x, y: vb.y, w: vb.width, h: vb.height };
    }
    const w = parseFloat(svg.getAttribute('width')) || 800;
    const h = parseFloat(svg.getAttribute('height')) || 600;
    return { x: 0, y: 0, w: w, h: h };
  }

  function apply(svg, box) {
    svg.setAttribute('viewBox', box.x + ' ' + box.y + ' ' + box.w + ' ' + box.h);
  }

  // How a diagram is sized: 'fit' shows all of it in the pane (pan and zoom move the viewBox);
  // 'width' fits its width and scrolls vertically; 'actual' draws it at 100% and scrolls both
  // ways (wide flows stay readable). The choice is remembered for every diagram.
  const MODES = ['fit', 'width', 'actual'];
  function savedMode() {
    try {
      const m = localStorage.getItem('nagare.fit');
      return MODES.indexOf(m) >= 0 ? m : 'fit';
    } catch (e) { return 'fit'; }
  }
  function saveMode(mode) {
    try { localStorage.setItem('nagare.fit', mode); } catch (e) { /* private mode: not kept */ }
  }

  function setupDiagram(container) {
    const svg = container.querySelector('svg');
    if (!svg) return;
    const name = container.dataset.diagram;
    // The original box is remembered on the element, so "fit" works after zooming.
    const base = svg.dataset.baseBox ? JSON.parse(svg.dataset.baseBox) : baseBox(svg);
    svg.dataset.baseBox = JSON.stringify(base);
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    // Top-aligned: side by side, both flows start at the same height whatever their shapes.
    svg.setAttribute('preserveAspectRatio', 'xMidYMin meet');
    // A page starts fitted; only a live-reload swap keeps the previous view.
    const kept = views.get(name);
    let box = kept ? kept.box : Object.assign({}, base);
    apply(svg, box);
    container.dataset.ratio = String(base.h / base.w);
    const state = {
      svg: svg,
      base: base,
      container: container,
      mode: kept ? kept.mode : savedMode(),
      // Pixels per diagram unit in the scrolling modes.
      scale: kept ? kept.scale : 1,
      get box() { return box; },
      set box(b) { box = b; remember(); apply(svg, b); },
    };
    function remember() { views.set(name, { box: box, mode: state.mode, scale: state.scale }); }
    container.nagare = state;
    setMode(state, state.mode, !kept);

    // Returns the diagram point under a client point (whatever the alignment and scale).
    function toSvgPoint(clientX, clientY) {
      const m = svg.getScreenCTM();
      if (!m) return { x: box.x + box.w / 2, y: box.y + box.h / 2 };
      const p = new DOMPoint(clientX, clientY).matrixTransform(m.inverse());
      return { x: p.x, y: p.y };
    }

    container.addEventListener('wheel', function (ev) {
      // In the scrolling modes the wheel scrolls, as on any page; Ctrl+wheel zooms.
      if (state.mode !== 'fit' && !ev.ctrlKey) return;
      ev.preventDefault();
      const factor = ev.deltaY < 0 ? 0.85 : 1 / 0.85;
      if (state.mode !== 'fit') { rescale(state, 1 / factor, ev.clientX, ev.clientY); return; }
      const p = toSvgPoint(ev.clientX, ev.clientY);
      zoomAt(state, factor, p.x, p.y);
    }, { passive: false });

    let drag = null;
    container.addEventListener('pointerdown', function (ev) {
      if (ev.button !== 0) return;
      drag = { x: ev.clientX, y: ev.clientY, box: Object.assign({}, box),
        left: container.scrollLeft, top: container.scrollTop };
      container.setPointerCapture(ev.pointerId);
      container.classList.add('dragging');
    });
    container.addEventListener('pointermove', function (ev) {
      if (!drag) return;
      if (state.mode !== 'fit') {
        container.scrollLeft = drag.left - (ev.clientX - drag.x);
        container.scrollTop = drag.top - (ev.clientY - drag.y);
        return;
      }
      const r = svg.getBoundingClientRect();
      const scale = Math.max(drag.box.w / r.width, drag.box.h / r.height);
      state.box = {
        x: drag.box.x - (ev.clientX - drag.x) * scale,
        y: drag.box.y - (ev.clientY - drag.y) * scale,
        w: drag.box.w,
        h: drag.box.h,
      };
    });
    function endDrag() { drag = null; container.classList.remove('dragging'); }
    container.addEventListener('pointerup', endDrag);
    container.addEventListener('pointercancel', endDrag);

    container.addEventListener('keydown', function (ev) {
      const step = 0.1;
      const scrolling = state.mode !== 'fit';
      if (ev.key === '+' || ev.key === '=') zoomIn(state);
      else if (ev.key === '-') zoomOut(state);
      else if (ev.key === '0') setMode(state, 'fit', true);
      else if (scrolling) return; // arrows scroll the pane natively
      else if (ev.key === 'ArrowLeft') state.box = Object.assign({}, box, { x: box.x - box.w * step });
      else if (ev.key === 'ArrowRight') state.box = Object.assign({}, box, { x: box.x + box.w * step });
      else if (ev.key === 'ArrowUp') state.box = Object.assign({}, box, { y: box.y - box.h * step });
      else if (ev.key === 'ArrowDown') state.box = Object.assign({}, box, { y: box.y + box.h * step });
      else return;
      ev.preventDefault();
    });

    // Hovering (or focusing, for keyboard users) a step shows its attributes, taken from the
    // page's steps table (the same formatting as the tables).
    const tableId = container.dataset.steps;
    function showTip(ev) {
      const el = ev.target.closest && ev.target.closest('[data-step]');
      const tip = document.getElementById('tooltip');
      if (!el || !tip || !tableId) return;
      const row = document.querySelector('#' + CSS.escape(tableId) + ' tr[data-key="' + CSS.escape(el.dataset.step) + '"]');
      if (!row) return;
      const cells = row.querySelectorAll('td');
      tip.textContent = '';
      const head = document.createElement('strong');
      head.textContent = (cells[0].textContent ? cells[0].textContent + ' ' : '') + cells[2].textContent;
      const who = document.createElement('div');
      who.textContent = cells[1].textContent;
      const attrs = document.createElement('div');
      attrs.textContent = cells[3].textContent;
      tip.append(head, who, attrs);
      tip.hidden = false;
      const r = el.getBoundingClientRect();
      tip.style.left = (window.scrollX + r.left) + 'px';
      tip.style.top = (window.scrollY + r.bottom + 6) + 'px';
    }
    function hideTip(ev) {
      const el = ev.target.closest && ev.target.closest('[data-step]');
      const tip = document.getElementById('tooltip');
      if (el && tip && !el.contains(ev.relatedTarget)) tip.hidden = true;
    }
    container.addEventListener('mouseover', showTip);
    container.addEventListener('focusin', showTip);
    container.addEventListener('mouseout', hideTip);
    container.addEventListener('focusout', hideTip);
  }

  // Returns the largest pane height: most of the window, leaving room for the toolbar.
  function maxHeight(container) {
    const side = container.closest('.compare-grid.side');
    return Math.max(320, Math.round(window.innerHeight * (side ? 0.65 : 0.7)));
  }

  // Sizes the pane and the drawing for the diagram's mode at the current window size.
  function layoutDiagram(state) {
    const c = state.container;
    const svg = state.svg;
    const base = state.base;
    const max = maxHeight(c);
    const side = !!c.closest('.compare-grid.side');
    c.dataset.mode = state.mode;
    if (state.mode === 'fit') {
      svg.style.width = '';
      svg.style.height = '';
      // "Fit" shrinks a drawing to the pane but never enlarges it: a small flow blown up to
      // the pane's width shows a giant title and text out of proportion with the page.
      svg.style.maxWidth = base.w + 'px';
      // A wide flow gets no tall empty band; side by side, both panes get the height the
      // taller drawing needs, so the two flows line up.
      const fitted = function (width, b) { return Math.min(width, b.w) * b.h / b.w + 8; };
      let wanted = fitted(c.clientWidth, base);
      if (side) {
        c.closest('.compare-grid').querySelectorAll('.diagram[data-diagram]').forEach(function (d) {
          const st = d.nagare;
          if (st) wanted = Math.max(wanted, fitted(d.clientWidth, st.base));
        });
      }
      const min = Math.round(window.innerHeight * 0.4);
      c.style.height = Math.round(Math.max(Math.min(min, max), Math.min(max, wanted))) + 'px';
      return;
    }
    svg.style.maxWidth = '';
    if (state.mode === 'width') {
      const inner = c.clientWidth - 2;
      state.scale = inner / base.w;
    }
    const w = base.w * state.scale;
    const h = base.h * state.scale;
    svg.style.width = Math.round(w) + 'px';
    svg.style.height = Math.round(h) + 'px';
    c.style.height = (side ? max : Math.round(Math.max(240, Math.min(max, h + 20)))) + 'px';
  }

  // Switches a diagram to `mode`; `reset` returns to the whole diagram (the first view).
  function setMode(state, mode, reset) {
    state.mode = MODES.indexOf(mode) >= 0 ? mode : 'fit';
    if (reset || state.mode !== 'fit') {
      // The scrolling modes draw the whole box; zooming there changes the scale instead.
      state.box = Object.assign({}, state.base);
    }
    if (state.mode === 'actual' && (reset || !(state.scale > 0))) state.scale = 1;
    state.box = state.box; // remembers the mode for live-reload swaps
    layoutDiagram(state);
    const c = state.container;
    document.querySelectorAll('button[data-action][data-target="' + CSS.escape(c.dataset.diagram) + '"]').forEach(function (b) {
      if (MODES.indexOf(b.dataset.action) >= 0) b.setAttribute('aria-pressed', String(b.dataset.action === state.mode));
    });
  }

  function sizeAll() {
    document.querySelectorAll('.diagram[data-diagram]').forEach(function (c) {
      if (c.nagare) layoutDiagram(c.nagare);
    });
  }
  window.addEventListener('resize', sizeAll);

  // Zooms a scrolling-mode diagram by `factor` around the client point (x, y).
  function rescale(state, factor, x, y) {
    const c = state.container;
    const r = c.getBoundingClientRect();
    const px = (x === undefined ? r.left + c.clientWidth / 2 : x) - r.left;
    const py = (y === undefined ? r.top + c.clientHeight / 2 : y) - r.top;
    const ux = (c.scrollLeft + px) / state.scale;
    const uy = (c.scrollTop + py) / state.scale;
    state.scale = Math.min(Math.max(state.scale * factor, 0.05), 4);
    // Zooming leaves "fit width" for a free scale, kept as "actual" (100% is one click away).
    if (state.mode === 'width') state.mode = 'actual';
    setMode(state, state.mode, false);
    c.scrollLeft = ux * state.scale - px;
    c.scrollTop = uy * state.scale - py;
  }
  function zoomIn(state) {
    if (state.mode === 'fit') zoomCenter(state, 0.8); else rescale(state, 1.25);
  }
  function zoomOut(state) {
    if (state.mode === 'fit') zoomCenter(state, 1.25); else rescale(state, 0.8);
  }

  function zoomAt(state, factor, cx, cy) {
    const b = state.box;
    const w = Math.min(Math.max(b.w * factor, state.base.w / 40), state.base.w * 8);
    const f = w / b.w;
    state.box = { x: cx - (cx - b.x) * f, y: cy - (cy - b.y) * f, w: b.w * f, h: b.h * f };
  }
  function zoomCenter(state, factor) {
    const b = state.box;
    zoomAt(state, factor, b.x + b.w / 2, b.y + b.h / 2);
  }

  function diagramNamed(name) {
    return document.querySelector('.diagram[data-diagram="' + CSS.escape(name) + '"]');
  }

  // Shows the boxes of `keys` in diagram `name` (zooming in 'fit' mode, scrolling otherwise)
  // and flashes them; returns true if found.
  function focusSteps(name, keys) {
    const container = diagramNamed(name);
    if (!container || !container.nagare || keys.length === 0) return false;
    const els = keys.map(function (k) {
      return container.querySelector('[data-step="' + CSS.escape(k) + '"]');
    }).filter(Boolean);
    if (els.length === 0) return false;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    els.forEach(function (el) {
      const b = el.getBBox();
      x0 = Math.min(x0, b.x); y0 = Math.min(y0, b.y);
      x1 = Math.max(x1, b.x + b.width); y1 = Math.max(y1, b.y + b.height);
    });
    const st = container.nagare;
    if (st.mode === 'fit') {
      const pad = 80;
      let w = Math.max(x1 - x0 + 2 * pad, st.base.w / 4);
      let h = Math.max(y1 - y0 + 2 * pad, st.base.h / 4);
      // The box takes the pane's shape, so the steps land in the middle of the pane.
      const ar = container.clientHeight / Math.max(1, container.clientWidth);
      if (h / w < ar) h = w * ar; else w = h / ar;
      st.box = { x: (x0 + x1) / 2 - w / 2, y: (y0 + y1) / 2 - h / 2, w: w, h: h };
    } else {
      const cx = ((x0 + x1) / 2 - st.base.x) * st.scale;
      const cy = ((y0 + y1) / 2 - st.base.y) * st.scale;
      container.scrollLeft = cx - container.clientWidth / 2;
      container.scrollTop = cy - container.clientHeight / 2;
    }
    container.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    els.forEach(function (el) {
      el.classList.remove('flash');
      // Restart the animation even when the same change is selected twice.
      void el.getBoundingClientRect();
      el.classList.add('flash');
      setTimeout(function () { el.classList.remove('flash'); }, 1600);
    });
    return true;
  }

  function setupSortable(table) {
    const buttons = table.querySelectorAll('thead th button.sort');
    buttons.forEach(function (button) {
      button.addEventListener('click', function () {
        const th = button.closest('th');
        const index = Array.prototype.indexOf.call(th.parentNode.children, th);
        const numeric = button.dataset.type === 'number';
        const asc = th.getAttribute('aria-sort') !== 'ascending';
        table.querySelectorAll('thead th').forEach(function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        const body = table.tBodies[0];
        const rows = Array.prototype.slice.call(body.rows);
        function key(row) {
          const cell = row.children[index];
          const v = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
          return numeric ? parseFloat(v) : v;
        }
        rows.sort(function (a, b) {
          const ka = key(a), kb = key(b);
          const c = numeric ? ka - kb : String(ka).localeCompare(String(kb), document.documentElement.lang);
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  function setupLayoutSwitch() {
    const grid = document.getElementById('compare-grid');
    if (!grid) return;
    const saved = localStorage.getItem('nagare.layout') || 'stacked';
    function set(layout) {
      grid.classList.toggle('side', layout === 'side');
      grid.classList.toggle('stacked', layout !== 'side');
      document.querySelectorAll('[data-layout]').forEach(function (b) {
        b.setAttribute('aria-pressed', String(b.dataset.layout === layout));
      });
      localStorage.setItem('nagare.layout', layout);
      sizeAll();
    }
    set(saved);
    document.querySelectorAll('[data-layout]').forEach(function (b) {
      b.addEventListener('click', function () { set(b.dataset.layout); });
    });
  }

  function init(root) {
    root.querySelectorAll('.diagram[data-diagram]').forEach(setupDiagram);
    root.querySelectorAll('table.sortable').forEach(setupSortable);
    setupLayoutSwitch();
    // Side by side, a pane's height depends on the other's drawing: size once all are set up.
    sizeAll();
  }

  // Buttons are handled by delegation so they keep working after a live-reload swap.
  document.addEventListener('click', function (ev) {
    const t = ev.target.closest && ev.target.closest('button');
    if (!t) return;
    if (t.dataset.action) {
      const c = diagramNamed(t.dataset.target);
      if (!c || !c.nagare) return;
      const action = t.dataset.action;
      if (MODES.indexOf(action) >= 0) {
        // A mode button applies to every diagram on the page (both sides of a comparison stay
        // alike) and is remembered for the next pages.
        saveMode(action);
        document.querySelectorAll('.diagram[data-diagram]').forEach(function (d) {
          if (d.nagare) setMode(d.nagare, action, true);
        });
      } else if (action === 'in') zoomIn(c.nagare);
      else if (action === 'out') zoomOut(c.nagare);
    } else if (t.classList.contains('change-link') || t.classList.contains('step-link')) {
      const from = (t.dataset.from || '').split(' ').filter(Boolean);
      const to = (t.dataset.to || '').split(' ').filter(Boolean);
      focusSteps('from', from);
      focusSteps('to', to);
    } else if (t.classList.contains('show-steps')) {
      focusSteps(t.dataset.target, (t.dataset.keys || '').split(' ').filter(Boolean));
    }
  });

  // Live reload: the server announces a new generation; re-fetch this page and swap <main>,
  // keeping each diagram's pan/zoom (held in `views`) and the scroll position.
  let swapping = false;
  async function refresh(generation) {
    if (swapping) return;
    swapping = true;
    try {
      const response = await fetch(location.href, { headers: { 'X-Nagare-Refresh': '1' }, cache: 'no-store' });
      const text = await response.text();
      const doc = new DOMParser().parseFromString(text, 'text/html');
      const next = doc.getElementById('main');
      const main = document.getElementById('main');
      if (!next || !main) return;
      const scroll = window.scrollY;
      main.replaceChildren.apply(main, Array.prototype.map.call(next.childNodes, function (n) {
        return document.importNode(n, true);
      }));
      document.title = doc.title;
      document.body.dataset.generation = String(generation);
      init(main);
      window.scrollTo(0, scroll);
      const live = document.getElementById('live');
      if (live) {
        live.textContent = live.dataset.message || 'updated';
        setTimeout(function () { live.textContent = ''; }, 3000);
      }
      document.dispatchEvent(new CustomEvent('nagare:reloaded', { detail: generation }));
    } finally {
      swapping = false;
    }
  }

  function listen() {
    if (!window.EventSource) return;
    const source = new EventSource('/events');
    source.addEventListener('reload', function (ev) {
      const generation = parseInt(ev.data, 10);
      if (String(generation) !== document.body.dataset.generation) refresh(generation);
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    init(document);
    listen();
  });
})();

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

  function setupDiagram(container) {
    const svg = container.querySelector('svg');
    if (!svg) return;
    const name = container.dataset.diagram;
    // The original box is remembered on the element, so "fit" works after zooming.
    const base = svg.dataset.baseBox ? JSON.parse(svg.dataset.baseBox) : baseBox(svg);
    svg.dataset.baseBox = JSON.stringify(base);
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
    let box = views.get(name) || Object.assign({}, base);
    apply(svg, box);
    container.dataset.ratio = String(base.h / base.w);
    sizeDiagram(container);
    const state = {
      svg: svg,
      base: base,
      get box() { return box; },
      set box(b) { box = b; views.set(name, b); apply(svg, b); },
    };
    container.nagare = state;

    function toSvgPoint(clientX, clientY) {
      const r = svg.getBoundingClientRect();
      const scale = Math.max(box.w / r.width, box.h / r.height);
      const cx = box.x + box.w / 2 + (clientX - (r.left + r.width / 2)) * scale;
      const cy = box.y + box.h / 2 + (clientY - (r.top + r.height / 2)) * scale;
      return { x: cx, y: cy, scale: scale };
    }

    container.addEventListener('wheel', function (ev) {
      ev.preventDefault();
      const factor = ev.deltaY < 0 ? 0.85 : 1 / 0.85;
      const p = toSvgPoint(ev.clientX, ev.clientY);
      zoomAt(state, factor, p.x, p.y);
    }, { passive: false });

    let drag = null;
    container.addEventListener('pointerdown', function (ev) {
      if (ev.button !== 0) return;
      drag = { x: ev.clientX, y: ev.clientY, box: Object.assign({}, box) };
      container.setPointerCapture(ev.pointerId);
      container.classList.add('dragging');
    });
    container.addEventListener('pointermove', function (ev) {
      if (!drag) return;
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
      if (ev.key === '+' || ev.key === '=') zoomCenter(state, 0.8);
      else if (ev.key === '-') zoomCenter(state, 1.25);
      else if (ev.key === '0') fit(state);
      else if (ev.key === 'ArrowLeft') state.box = Object.assign({}, box, { x: box.x - box.w * step });
      else if (ev.key === 'ArrowRight') state.box = Object.assign({}, box, { x: box.x + box.w * step });
      else if (ev.key === 'ArrowUp') state.box = Object.assign({}, box, { y: box.y - box.h * step });
      else if (ev.key === 'ArrowDown') state.box = Object.assign({}, box, { y: box.y + box.h * step });
      else return;
      ev.preventDefault();
    });

    // Hovering (or focusing, for keyboard users) a step shows its attributes, taken from the
    // page's steps table.
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

  // Gives a diagram the height its shape needs at the current width (wide flows do not leave
  // a tall empty box), between 240 px and 75% of the window.
  function sizeDiagram(container) {
    const ratio = parseFloat(container.dataset.ratio);
    if (!(ratio > 0)) return;
    const wanted = container.clientWidth * ratio + 8;
    container.style.height = Math.round(Math.max(240, Math.min(window.innerHeight * 0.75, wanted))) + 'px';
  }
  function sizeAll() {
    document.querySelectorAll('.diagram[data-diagram]').forEach(sizeDiagram);
  }
  window.addEventListener('resize', sizeAll);

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
  function fit(state) { state.box = Object.assign({}, state.base); }

  function diagramNamed(name) {
    return document.querySelector('.diagram[data-diagram="' + CSS.escape(name) + '"]');
  }

  // Zooms diagram `name` to the boxes of `keys` and flashes them; returns true if found.
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
    const pad = 80;
    const st = container.nagare;
    const w = Math.max(x1 - x0 + 2 * pad, st.base.w / 4);
    const h = Math.max(y1 - y0 + 2 * pad, st.base.h / 4);
    st.box = { x: (x0 + x1) / 2 - w / 2, y: (y0 + y1) / 2 - h / 2, w: w, h: h };
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
  }

  // Buttons are handled by delegation so they keep working after a live-reload swap.
  document.addEventListener('click', function (ev) {
    const t = ev.target.closest && ev.target.closest('button');
    if (!t) return;
    if (t.dataset.action) {
      const c = diagramNamed(t.dataset.target);
      if (!c || !c.nagare) return;
      if (t.dataset.action === 'fit') fit(c.nagare);
      else if (t.dataset.action === 'in') zoomCenter(c.nagare, 0.8);
      else if (t.dataset.action === 'out') zoomCenter(c.nagare, 1.25);
    } else if (t.classList.contains('change-link')) {
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

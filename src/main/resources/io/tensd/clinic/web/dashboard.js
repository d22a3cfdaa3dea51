// Live view: redraws a device's row from the server's "device" events (Server-Sent Events); no page reload.
(function () {
  'use strict';
  var table = document.getElementById('devices');
  var status = document.getElementById('live-status');
  if (!table) return;
  function row(id) {
    var rows = table.tBodies[0].rows;
    for (var i = 0; i < rows.length; i++) if (rows[i].getAttribute('data-device') === id) return rows[i];
    var tpl = document.getElementById('row-template');
    var r = tpl.content.firstElementChild.cloneNode(true);
    r.setAttribute('data-device', id);
    table.tBodies[0].appendChild(r);
    return r;
  }
  function cell(r, name) { return r.querySelector('td.' + name); }
  function draw(d) {
    var r = row(d.id);
    var link = cell(r, 'id').querySelector('a');
    link.textContent = d.id;
    link.setAttribute('href', '/devices/' + encodeURIComponent(d.id));
    var on = cell(r, 'link');
    on.textContent = d.online;
    on.className = 'link ' + d.online.split(' ')[0];
    cell(r, 'state').textContent = d.state;
    cell(r, 'program').textContent = d.program;
    cell(r, 'ma').textContent = d.ma;
    var skin = cell(r, 'skin');
    skin.textContent = d.skin;
    skin.className = 'skin' + (d.skinHot ? ' hot' : '');
    cell(r, 'duty').textContent = d.duty;
    var f = cell(r, 'faults');
    f.textContent = '';
    if (d.faults.length) {
      var ul = document.createElement('ul');
      d.faults.forEach(function (x) {
        var li = document.createElement('li');
        li.className = 'fault';
        li.textContent = x.code + ': ' + x.text;
        ul.appendChild(li);
      });
      f.appendChild(ul);
    }
    r.setAttribute('data-updates', String(Number(r.getAttribute('data-updates') || 0) + 1));
  }
  var es = new EventSource('/live');
  es.addEventListener('device', function (e) { draw(JSON.parse(e.data)); });
  es.onopen = function () { status.textContent = 'live'; };
  es.onerror = function () { status.textContent = 'connection lost, reconnecting…'; };
})();

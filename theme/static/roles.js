// Role switcher: highlights what concerns the chosen role on section pages and remembers the
// choice in this browser (localStorage). Without JavaScript the switcher is a list of links to
// the role pages. Nothing is sent anywhere.
(function () {
  "use strict";
  var KEY = "vejviser-role";
  var nav = document.querySelector(".role-switcher");
  if (!nav) return;
  var script = document.currentScript;
  var links = Array.prototype.slice.call(nav.querySelectorAll("a[data-role]"));
  var status = nav.querySelector(".rs-status");
  var article = document.querySelector("article.section");

  var label = document.createElement("label");
  label.setAttribute("for", "role-select");
  label.textContent = script.getAttribute("data-label");
  var select = document.createElement("select");
  select.id = "role-select";
  var all = document.createElement("option");
  all.value = "";
  all.textContent = script.getAttribute("data-all");
  select.appendChild(all);
  links.forEach(function (a) {
    var o = document.createElement("option");
    o.value = a.getAttribute("data-role");
    o.textContent = a.textContent;
    select.appendChild(o);
  });
  var pageLink = document.createElement("a");
  pageLink.className = "rs-page";
  pageLink.hidden = true;
  var box = document.createElement("div");
  box.className = "rs-control";
  box.appendChild(label);
  box.appendChild(select);
  box.appendChild(pageLink);
  nav.querySelector(".rs-links").hidden = true;
  nav.insertBefore(box, status);

  function nameOf(role) {
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("data-role") === role) return links[i];
    }
    return null;
  }

  function apply(role, announce) {
    var link = role ? nameOf(role) : null;
    if (role && !link) role = "";
    var blocks = document.querySelectorAll("[data-roles]");
    var count = 0;
    for (var i = 0; i < blocks.length; i++) {
      var el = blocks[i];
      var roles = (el.getAttribute("data-roles") || "").split(" ");
      var hit = role !== "" && roles.indexOf(role) !== -1;
      el.classList.toggle("concerns", hit);
      if (hit && el !== article) count++;
    }
    document.documentElement.setAttribute("data-role", role);
    if (article) article.classList.toggle("role-active", role !== "");
    select.value = role;
    if (link) {
      pageLink.href = link.getAttribute("href");
      pageLink.textContent = script.getAttribute("data-page") + ": " + link.textContent;
      pageLink.hidden = false;
    } else {
      pageLink.hidden = true;
    }
    if (announce) {
      if (!role) {
        status.textContent = script.getAttribute("data-none");
      } else {
        var whole = article && article.classList.contains("concerns") ? " " + script.getAttribute("data-whole") : "";
        var noun = script.getAttribute(count === 1 ? "data-one" : "data-many");
        status.textContent = script.getAttribute("data-status")
          .replace("{role}", link.textContent)
          .replace("{count}", String(count))
          .replace("{passages}", noun) + whole;
      }
    }
  }

  select.addEventListener("change", function () {
    var role = select.value;
    try {
      if (role) localStorage.setItem(KEY, role);
      else localStorage.removeItem(KEY);
    } catch (e) { /* storage may be disabled */ }
    apply(role, true);
  });

  var saved = "";
  try { saved = localStorage.getItem(KEY) || ""; } catch (e) { saved = ""; }
  apply(saved, saved !== "");
})();

/* xent-lab practice page. One card per template, one variant shown at a time, answers checked here.
   The bank is the JSON in #quiz-data (written by quizzes/exporters/practice.py); text in it is trusted
   HTML rendered by the exporter (Markdown with raw HTML escaped, math as MathML). */
(function () {
  "use strict";

  var bank = JSON.parse(document.getElementById("quiz-data").textContent);
  var cards = [];

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function html(tag, className, markup) {
    var node = make(tag, className);
    node.innerHTML = markup;
    return node;
  }

  function points(x) {
    var rounded = Math.round(x * 100) / 100;
    return String(rounded);
  }

  function plural(n, word) {
    return points(n) + " " + word + (n === 1 ? "" : "s");
  }

  /* A typed number: 0.25, -1.5, .5, 1e-3, 2,5 (decimal comma), 1/3. Null when it is not one. */
  function parseNumber(text) {
    var s = String(text).trim().replace(/\u2212/g, "-").replace(/\s+/g, "");
    if (s.indexOf(",") >= 0 && s.indexOf(".") < 0) s = s.replace(",", ".");
    var fraction = /^([+-]?)(\d+)\/(\d+)$/.exec(s);
    if (fraction) {
      var denominator = Number(fraction[3]);
      if (denominator === 0) return null;
      return (fraction[1] === "-" ? -1 : 1) * Number(fraction[2]) / denominator;
    }
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
    var value = Number(s);
    return isFinite(value) ? value : null;
  }

  function within(x, target, tolerance) {
    return Math.abs(x - target) <= tolerance * (1 + 1e-9) + 1e-12;
  }

  function pickOther(count, current) {
    if (count < 2) return current;
    var next = Math.floor(Math.random() * (count - 1));
    return next >= current ? next + 1 : next;
  }

  /* ------------------------------------------------------------------ one card per template */

  function buildCard(template, number) {
    var card = make("article", "question");
    card.id = "q-" + template.id;
    card.dataset.template = template.id;
    card.dataset.type = template.type;
    var head = make("header", "question-head");
    var title = make("h3", "question-title");
    title.appendChild(make("span", "qnum", number + ". "));
    title.appendChild(document.createTextNode(template.title));
    head.appendChild(title);
    var meta = make("p", "meta");
    meta.appendChild(make("span", "points", plural(template.points, "point")));
    meta.appendChild(document.createTextNode(" · "));
    var label = make("span", "variant-label");
    meta.appendChild(label);
    head.appendChild(meta);
    card.appendChild(head);

    var stem = make("div", "stem");
    card.appendChild(stem);
    var form = make("form", "answer");
    form.noValidate = true;
    var inputs = make("div", "inputs");
    form.appendChild(inputs);
    var buttons = make("div", "buttons");
    var check = make("button", "check", "Check");
    check.type = "submit";
    var another = make("button", "new-variant", "New variant");
    another.type = "button";
    if (template.variants.length < 2) {
      another.disabled = true;
      another.title = "This bank holds one variant of this question";
    }
    buttons.appendChild(check);
    buttons.appendChild(another);
    form.appendChild(buttons);
    card.appendChild(form);
    var feedback = make("div", "feedback");
    feedback.hidden = true;
    card.appendChild(feedback);
    /* A live region present from the start: screen readers announce what is written into it (a region that
       appears together with its text is often not announced). It holds the verdict and the likely slip. */
    var status = make("p", "visually-hidden");
    status.setAttribute("role", "status");
    card.appendChild(status);

    var state = {template: template, card: card, stem: stem, inputs: inputs, check: check, feedback: feedback,
                 status: status, label: label, index: 0, result: null};
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      checkAnswer(state);
    });
    another.addEventListener("click", function () {
      show(state, pickOther(template.variants.length, state.index));
      var field = state.inputs.querySelector("input");
      if (field) field.focus();
    });
    return state;
  }

  function show(state, index) {
    var template = state.template;
    var variant = template.variants[index];
    state.index = index;
    state.result = null;
    state.card.dataset.uid = variant.uid;
    state.card.classList.remove("answered-correct", "answered-partial", "answered-wrong");
    state.label.textContent = "variant " + (index + 1) + " of " + template.variants.length;
    state.stem.innerHTML = variant.stem;
    state.inputs.textContent = "";
    state.feedback.hidden = true;
    state.feedback.textContent = "";
    state.status.textContent = "";
    state.check.disabled = false;
    if (template.type === "num") {
      var row = make("label", "num-label");
      row.appendChild(document.createTextNode("Your answer "));
      var field = make("input", "num-input");
      field.type = "text";
      field.inputMode = "decimal";
      field.autocomplete = "off";
      field.spellcheck = false;
      field.name = variant.uid;
      row.appendChild(field);
      state.inputs.appendChild(row);
      state.inputs.appendChild(make("span", "tolerance", "3 significant figures are enough"));
    } else {
      if (template.type === "multi") state.inputs.appendChild(make("p", "instruction", "Select every correct option."));
      var list = make("div", "choices");
      list.setAttribute("role", template.type === "multi" ? "group" : "radiogroup");
      list.setAttribute("aria-label", "Options");
      variant.choices.forEach(function (choice, i) {
        var option = make("label", "choice");
        var box = make("input");
        box.type = template.type === "multi" ? "checkbox" : "radio";
        box.name = variant.uid;
        box.value = String(i);
        /* Named by "Option n" and the option's text: an option that is only MathML gives the wrapping label
           no text an accessibility checker can compute, so the input would have no accessible name. */
        var base = "opt-" + variant.uid.replace(/[^A-Za-z0-9_-]/g, "-") + "-" + i;
        var number = make("span", "visually-hidden", "Option " + (i + 1) + ": ");
        number.id = base + "-n";
        var text = html("span", "choice-text", choice.html);
        text.id = base + "-t";
        box.setAttribute("aria-labelledby", number.id + " " + text.id);
        option.appendChild(box);
        option.appendChild(number);
        option.appendChild(text);
        list.appendChild(option);
      });
      state.inputs.appendChild(list);
    }
    updateScore();
  }

  /* ------------------------------------------------------------------ checking */

  function complain(state, message) {
    state.feedback.hidden = false;
    state.feedback.textContent = "";
    state.feedback.appendChild(make("p", "invalid", message));
    state.status.textContent = message;
  }

  function checkAnswer(state) {
    if (state.result) return;
    var template = state.template;
    var variant = template.variants[state.index];
    var fraction;
    var notes = [];
    var reveal = null;
    if (template.type === "num") {
      var typed = state.inputs.querySelector("input").value;
      var x = parseNumber(typed);
      if (x === null) {
        complain(state, "Enter a number such as 0.25, -1.5 or 1/3.");
        return;
      }
      var correct = within(x, variant.answer, variant.tolerance);
      fraction = correct ? 1 : 0;
      if (correct) {
        notes.push(variant.choices[0]);
      } else {
        var slip = null;
        variant.choices.slice(1).forEach(function (choice) {
          if (within(x, choice.value, variant.tolerance) &&
              (slip === null || Math.abs(x - choice.value) < Math.abs(x - slip.value))) slip = choice;
        });
        if (slip) notes.push(slip);
        reveal = "The answer is " + variant.choices[0].html + ".";
      }
    } else {
      var boxes = Array.prototype.slice.call(state.inputs.querySelectorAll("input"));
      var chosen = boxes.filter(function (box) { return box.checked; }).map(function (box) { return Number(box.value); });
      if (chosen.length === 0) {
        complain(state, template.type === "multi" ? "Select at least one option." : "Choose an option first.");
        return;
      }
      var total = 0;
      chosen.forEach(function (i) { total += variant.choices[i].weight; });
      fraction = template.type === "multi" ? Math.min(1, Math.max(0, total)) : (variant.choices[chosen[0]].correct ? 1 : 0);
      if (fraction > 0.9999) fraction = 1;
      if (fraction < 0.0001) fraction = 0;
      var labels = state.inputs.querySelectorAll("label.choice");
      variant.choices.forEach(function (choice, i) {
        var picked = chosen.indexOf(i) >= 0;
        if (choice.correct) labels[i].classList.add("is-correct");
        if (picked && !choice.correct) labels[i].classList.add("is-wrong");
        if (picked && (!choice.correct || template.type !== "multi")) notes.push(choice);
        if (!picked && choice.correct && template.type === "multi") {
          notes.push({missed: true, html: choice.html});
        }
      });
    }
    boxesOff(state);
    var earned = fraction * template.points;
    state.result = {earned: earned, fraction: fraction};
    var verdictClass = fraction === 1 ? "correct" : (fraction > 0 ? "partial" : "wrong");
    state.card.classList.add("answered-" + verdictClass);
    var word = fraction === 1 ? "Correct" : (fraction > 0 ? "Partly right" : "Not quite");
    state.feedback.textContent = "";
    state.feedback.appendChild(make("p", "verdict " + verdictClass,
      word + ": " + points(earned) + " of " + plural(template.points, "point") + "."));
    if (reveal) state.feedback.appendChild(html("p", "reveal", reveal));
    notes.forEach(function (note) {
      if (note.missed) {
        state.feedback.appendChild(html("p", "missed", "You missed a correct option: " + note.html));
        return;
      }
      var box = html("div", note.correct ? "choice-feedback" : "choice-feedback misconception-feedback", note.feedback);
      if (note.misconception) box.dataset.misconception = note.misconception;
      state.feedback.appendChild(box);
    });
    if (template.type === "num" && fraction === 0 && notes.length === 0) {
      state.feedback.appendChild(make("p", "choice-feedback",
        "That value does not match any of the common slips we anticipated; compare with the worked solution."));
    }
    var details = make("details", "explanation");
    details.open = true;
    details.appendChild(make("summary", "", "Worked solution"));
    details.appendChild(html("div", "explanation-body", variant.explanation));
    state.feedback.appendChild(details);
    state.feedback.hidden = false;
    var spoken = word + ": " + points(earned) + " of " + plural(template.points, "point") + ".";
    notes.forEach(function (note) {
      if (note.misconception) spoken += " Likely slip: " + note.misconception + ".";
    });
    state.status.textContent = spoken + " The worked solution follows the question.";
    updateScore();
  }

  function boxesOff(state) {
    state.check.disabled = true;
    Array.prototype.forEach.call(state.inputs.querySelectorAll("input"), function (input) {
      input.disabled = true;
    });
  }

  /* ------------------------------------------------------------------ score */

  function totals() {
    var sum = {answered: 0, earned: 0, possible: 0, topics: {}};
    cards.forEach(function (state) {
      var t = state.template;
      var topic = sum.topics[t.topic] || (sum.topics[t.topic] = {name: t.topicName, answered: 0, count: 0,
                                                                  earned: 0, possible: 0});
      topic.count += 1;
      topic.possible += t.points;
      sum.possible += t.points;
      if (state.result) {
        sum.answered += 1;
        sum.earned += state.result.earned;
        topic.answered += 1;
        topic.earned += state.result.earned;
      }
    });
    return sum;
  }

  function updateScore() {
    var sum = totals();
    document.getElementById("scorebar").textContent = "Answered " + sum.answered + " of " + cards.length +
      " \u00b7 " + points(sum.earned) + " of " + points(sum.possible) + " points";
  }

  function finish() {
    var sum = totals();
    var result = document.getElementById("result");
    result.textContent = "";
    var percent = sum.possible ? Math.round(100 * sum.earned / sum.possible) : 0;
    result.appendChild(make("p", "final-score", "Your score: " + points(sum.earned) + " of " + points(sum.possible) +
      " points (" + percent + "%), with " + sum.answered + " of " + cards.length + " questions answered."));
    var table = make("table", "topic-scores");
    var head = make("tr");
    ["Topic", "Answered", "Points"].forEach(function (text) { head.appendChild(make("th", "", text)); });
    table.appendChild(head);
    Object.keys(sum.topics).forEach(function (key) {
      var topic = sum.topics[key];
      var row = make("tr");
      row.appendChild(make("td", "", topic.name));
      row.appendChild(make("td", "", topic.answered + " of " + topic.count));
      row.appendChild(make("td", "", points(topic.earned) + " of " + points(topic.possible)));
      table.appendChild(row);
    });
    result.appendChild(table);
    if (sum.answered < cards.length) {
      result.appendChild(make("p", "hint", "Unanswered questions count as 0 points; answer them and press Finish again."));
    }
    result.hidden = false;
    result.scrollIntoView({block: "nearest"});
  }

  /* ------------------------------------------------------------------ start */

  var main = document.getElementById("quiz");
  var topic = null;
  var section = null;
  bank.templates.forEach(function (template, i) {
    if (template.topic !== topic) {
      topic = template.topic;
      section = make("section", "topic");
      section.id = "topic-" + topic;
      section.appendChild(make("h2", "", template.topicName));
      main.appendChild(section);
    }
    var state = buildCard(template, i + 1);
    cards.push(state);
    section.appendChild(state.card);
    show(state, Math.floor(Math.random() * template.variants.length));
  });
  document.getElementById("finish").addEventListener("click", finish);
  document.getElementById("restart").addEventListener("click", function () {
    cards.forEach(function (state) { show(state, pickOther(state.template.variants.length, state.index)); });
    document.getElementById("result").hidden = true;
    window.scrollTo(0, 0);
  });
  updateScore();
})();

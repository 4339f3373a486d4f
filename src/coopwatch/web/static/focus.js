// An event's page: bring its sentence (the <mark id="focus">) into view.
document.getElementById("focus")?.scrollIntoView({block: "center"});

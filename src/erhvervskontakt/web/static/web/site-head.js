// Runs before the page paints: tells the CSS that JavaScript is on (the menu drawer works).
document.documentElement.classList.replace("no-js", "js");

const { src, dest } = require('gulp');

// tsc emits the JavaScript and, through tsconfig's "nodes/**/*.json", the codex files; the icons,
// which the nodes and the credential reference by relative path, are the one thing left to copy.
function copyIcons() {
	return src('icons/*.{png,svg}', { encoding: false }).pipe(dest('dist/icons'));
}

exports['build:icons'] = copyIcons;

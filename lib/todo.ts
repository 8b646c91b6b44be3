// What an exercise stub throws until the learner writes it. The message names the exercise
// so that a failing test reads "TODO: enterRoot (exercises/01-chroot/chroot.ts)", never an
// import crash.
export class NotImplemented extends Error {
  constructor(what: string, where: string) {
    super(`TODO: ${what} is not written yet (${where}); run \`npm start\` for the lesson and a hint`);
    this.name = 'NotImplemented';
  }
}

export function todo(what: string, where: string): never {
  throw new NotImplemented(what, where);
}
